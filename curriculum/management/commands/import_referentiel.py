"""Import the national référentiel de compétences from Orébut's XML file: labels, texts, apprentissages critiques.

Prints the report as JSON (matched, added, changed, unplaced, refused, kept). A refused import (a frozen
programme's structure would change) exits 1 and writes nothing; a malformed file exits 2.
"""
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from curriculum.referentiel import MAX_BYTES, ReferentielError, parse_referentiel
from curriculum.referentiel_import import ReferentielRefused, referentiel_import

NOT_FOUND = "Fichier introuvable : {file}"


class Command(BaseCommand):
    help = "Importe le référentiel de compétences (fichier XML d'Orébut) : libellés des niveaux, textes, AC."

    def add_arguments(self, parser):
        parser.add_argument("file", help="fichier XML du référentiel exporté d'Orébut")
        parser.add_argument("--dry-run", action="store_true", help="montrer ce qui changerait sans rien enregistrer")

    def handle(self, *args, file, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            self._fail(NOT_FOUND.format(file=file), code=1)
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)  # bounded before it is read whole
        try:
            referentiel = parse_referentiel(data)
        except ReferentielError as exc:
            self._fail(str(exc), code=2)
        try:
            report = referentiel_import(referentiel=referentiel, user=None, dry_run=dry_run)
        except ReferentielRefused as exc:
            self.stdout.write(json.dumps({"error": exc.message, **exc.report.as_dict()}, ensure_ascii=False))
            self._fail(exc.message, code=1)
        self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))

    def _fail(self, message: str, *, code: int):
        self.stderr.write(message)
        sys.exit(code)
