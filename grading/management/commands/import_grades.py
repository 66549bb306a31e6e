"""Import one evaluation's grades from a spreadsheet made by the application (same checks as the web page).

Without `--user` the import is recorded as the system user. A grade changed in the application since the
sheet was downloaded is a conflict: the command lists them and exits 1, unless `--force` overwrites them.
"""
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from grading.imports import read_grades_upload
from grading.models import Enrolment, Evaluation
from grading.services.errors import ImportInvalid, ServiceError
from grading.services.grades import grades_import
from grading.spreadsheet_reading import capped_errors

CONFLICT_LINE = ("Conflit : {student} — au téléchargement « {at_export} », maintenant « {now} », "
                 "dans le fichier « {in_file} »")
CONFLICTS_REFUSED = ("{count} note(s) modifiée(s) depuis le téléchargement du fichier : rien n'a été enregistré "
                     "(--force pour les remplacer par celles du fichier).")


class Command(BaseCommand):
    help = ("Importe les notes d'une évaluation depuis un tableur .xlsx (tout ou rien), au nom de --user ou de "
            "l'utilisateur système.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="fichier .xlsx téléchargé depuis la grille de l'évaluation")
        parser.add_argument("--evaluation", type=int, required=True, help="identifiant de l'évaluation")
        parser.add_argument("--dry-run", action="store_true", help="vérifier et compter sans rien enregistrer")
        parser.add_argument("--user", help="identifiant de l'utilisateur à qui attribuer l'import "
                                           "(par défaut : l'utilisateur système)")
        parser.add_argument("--force", action="store_true",
                            help="remplacer aussi les notes modifiées depuis le téléchargement du fichier")

    def handle(self, *args, file, evaluation, dry_run, user, force, **options):
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
        common = {"evaluation": evaluation_obj, "rows": rows, "user": user_obj, "filename": path.name,
                  "exported": upload.exported}
        try:
            checked = grades_import(**common, dry_run=True)
            conflicts = checked.diff.conflicts
            if conflicts and not force:
                self._conflicts(conflicts)
            accepted = {c.enrolment_id for c in conflicts}
            result = grades_import(**common, accepted_conflicts=accepted, dry_run=dry_run)
        except ImportInvalid as exc:
            self._fail(exc.errors)
        except ServiceError as exc:
            self._fail([exc.message])
        for row in upload.rows:
            if row.formula_cell:
                self.stdout.write(f"Ligne {row.row} : valeur calculée de la formule en {row.formula_cell} utilisée "
                                  f"({row.raw}).")
        diff = result.diff
        counts = f"{len(diff.new)} nouvelle(s), {len(diff.changed)} modifiée(s), {len(diff.unchanged)} inchangée(s)"
        if dry_run:
            self.stdout.write(f"Vérification seule (rien n'a été enregistré) : {counts}.")
        elif result.batch is None:
            self.stdout.write(f"Aucune note ne change : rien n'a été enregistré ({counts}).")
        else:
            self.stdout.write(self.style.SUCCESS(f"Import n° {result.batch.pk} enregistré : {counts}."))
        if diff.set_aside:
            self.stdout.write(f"{len(diff.set_aside)} conflit(s) apparu(s) pendant l'import, laissé(s) de côté.")

    def _conflicts(self, conflicts):
        names = {e.pk: str(e.student) for e in Enrolment.objects.filter(
            pk__in=[c.enrolment_id for c in conflicts]).select_related("student")}
        lines = [CONFLICT_LINE.format(student=names[c.enrolment_id], at_export=c.at_export or "vide",
                                      now=c.now or "vide", in_file=c.in_file or "vide") for c in conflicts]
        for line in capped_errors(lines):
            self.stderr.write(line)
        raise CommandError(CONFLICTS_REFUSED.format(count=len(conflicts)), returncode=1)

    def _fail(self, errors):
        for error in capped_errors(errors):
            self.stderr.write(error)
        raise CommandError(f"{len(errors)} erreur(s) : rien n'a été enregistré.", returncode=1)


class _Named:
    """A file object with the name the import messages show."""

    def __init__(self, handle, name):
        self._handle, self.name = handle, name

    def read(self, *args):
        return self._handle.read(*args)
