"""Import one evaluation's grades from a spreadsheet made by the application (same checks as the web page)."""
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from grading import services
from grading.imports import read_grades_upload
from grading.models import Evaluation


class Command(BaseCommand):
    help = "Importe les notes d'une évaluation depuis un tableur .xlsx (tout ou rien)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="fichier .xlsx téléchargé depuis la grille de l'évaluation")
        parser.add_argument("--evaluation", type=int, required=True, help="identifiant de l'évaluation")
        parser.add_argument("--dry-run", action="store_true", help="vérifier et compter sans rien enregistrer")
        parser.add_argument("--user", help="identifiant de l'utilisateur à qui attribuer l'import")

    def handle(self, *args, file, evaluation, dry_run, user, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {file}")
        try:
            evaluation_obj = Evaluation.objects.select_related("semester_instance", "module").get(pk=evaluation)
        except Evaluation.DoesNotExist:
            raise CommandError(f"Évaluation {evaluation} introuvable.") from None
        user_obj = None
        if user:
            try:
                user_obj = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"Utilisateur « {user} » introuvable.") from None
        with path.open("rb") as handle:
            upload = read_grades_upload(file=_Named(handle, path.name), evaluation=evaluation_obj)
        if upload.errors:
            self._fail(upload.errors)
        rows = [(r.enrolment_id, r.raw) for r in upload.rows]
        try:
            result = services.grades_import(evaluation=evaluation_obj, rows=rows, user=user_obj,
                                            filename=path.name, dry_run=dry_run)
        except services.ImportInvalid as exc:
            self._fail(exc.errors)
        except services.ServiceError as exc:
            self._fail([exc.message])
        diff = result.diff
        counts = f"{len(diff.new)} nouvelle(s), {len(diff.changed)} modifiée(s), {len(diff.unchanged)} inchangée(s)"
        if dry_run:
            self.stdout.write(f"Vérification seule (rien n'a été enregistré) : {counts}.")
        elif result.batch is None:
            self.stdout.write(f"Aucune note ne change : rien n'a été enregistré ({counts}).")
        else:
            self.stdout.write(self.style.SUCCESS(f"Import n° {result.batch.pk} enregistré : {counts}."))

    def _fail(self, errors):
        for error in errors:
            self.stderr.write(error)
        raise CommandError(f"{len(errors)} erreur(s) : rien n'a été enregistré.", returncode=1)


class _Named:
    """A file object with the name the import messages show."""

    def __init__(self, handle, name):
        self._handle, self.name = handle, name

    def read(self, *args):
        return self._handle.read(*args)
