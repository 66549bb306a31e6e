"""`python manage.py apogee_export --jury ID --maquette FILE --output FILE`: fill an Apogée maquette after a jury.

Prints the report as JSON (students of the file not in the jury, students of the jury not in the file, elements
without a code, codes without a translation). The filled file is kept with the jury's archives and journaled, as the
page does, in the name of --user or else of the system user. A jury not closed or unknown, or an unknown user:
exit 1; a malformed maquette: exit 2.
"""
import json
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from grading.models import JurySession
from grading.services.system_user import system_user
from jury.apogee.export import ExportRefused, apogee_export_save
from jury.apogee.maquette import MAX_BYTES, MaquetteError

UNKNOWN_JURY = "Aucun jury n'a l'identifiant {id}."
NOT_FOUND = "Fichier introuvable : {file}"
UNKNOWN_USER = "Utilisateur « {login} » introuvable."


class Command(BaseCommand):
    help = "Remplit la maquette Apogée d'une étape avec les résultats d'un jury clos et affiche le rapport en JSON."

    def add_arguments(self, parser):
        parser.add_argument("--jury", type=int, required=True, metavar="ID", help="identifiant du jury (clos)")
        parser.add_argument("--maquette", required=True, metavar="FILE", help="maquette téléchargée d'Apogée")
        parser.add_argument("--output", required=True, metavar="FILE", help="fichier rempli à écrire")
        parser.add_argument("--user", metavar="LOGIN", help="au nom de qui l'export est gardé (défaut : systeme)")

    def handle(self, *args, jury, maquette, output, user, **options):
        session = JurySession.objects.filter(pk=jury).first()
        if session is None:
            self._fail(UNKNOWN_JURY.format(id=jury), code=1)
        made_by = get_user_model().objects.filter(username=user).first() if user else system_user()
        if made_by is None:
            self._fail(UNKNOWN_USER.format(login=user), code=1)
        path = Path(maquette)
        if not path.is_file():
            self._fail(NOT_FOUND.format(file=maquette), code=1)
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
        try:
            export = apogee_export_save(session=session, maquette=data, filename=path.name, user=made_by)
        except ExportRefused as exc:
            self._fail(exc.message, code=1)
        except MaquetteError as exc:
            self._fail(str(exc), code=2)
        Path(output).write_bytes(bytes(export.content))
        self.stdout.write(json.dumps({"export": export.pk, **export.report}, ensure_ascii=False, indent=1))

    def _fail(self, message: str, *, code: int):
        self.stderr.write(message)
        sys.exit(code)
