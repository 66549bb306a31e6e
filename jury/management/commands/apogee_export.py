"""`python manage.py apogee_export --jury ID --maquette FILE --output FILE`: fill an Apogée maquette after a jury.

Prints the report as JSON (students of the file not in the jury, students of the jury not in the file, elements
without a code, codes without a translation). A jury not closed or unknown: exit 1; a malformed maquette: exit 2.
"""
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from grading.models import JurySession
from jury.apogee.export import ExportRefused, apogee_export
from jury.apogee.maquette import MAX_BYTES, MaquetteError

UNKNOWN_JURY = "Aucun jury n'a l'identifiant {id}."
NOT_FOUND = "Fichier introuvable : {file}"


class Command(BaseCommand):
    help = "Remplit la maquette Apogée d'une étape avec les résultats d'un jury clos et affiche le rapport en JSON."

    def add_arguments(self, parser):
        parser.add_argument("--jury", type=int, required=True, metavar="ID", help="identifiant du jury (clos)")
        parser.add_argument("--maquette", required=True, metavar="FILE", help="maquette téléchargée d'Apogée")
        parser.add_argument("--output", required=True, metavar="FILE", help="fichier rempli à écrire")

    def handle(self, *args, jury, maquette, output, **options):
        session = JurySession.objects.filter(pk=jury).first()
        if session is None:
            self._fail(UNKNOWN_JURY.format(id=jury), code=1)
        path = Path(maquette)
        if not path.is_file():
            self._fail(NOT_FOUND.format(file=maquette), code=1)
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
        try:
            result = apogee_export(session=session, maquette=data, filename=path.name)
        except ExportRefused as exc:
            self._fail(exc.message, code=1)
        except MaquetteError as exc:
            self._fail(str(exc), code=2)
        Path(output).write_bytes(result.content)
        self.stdout.write(json.dumps(result.report.as_dict(), ensure_ascii=False, indent=1))

    def _fail(self, message: str, *, code: int):
        self.stderr.write(message)
        sys.exit(code)
