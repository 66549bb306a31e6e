"""`python manage.py import_results FILE [--dry-run] [--programme CODE] [--map UE_ID=UE_CODE …] [--user LOGIN]`.

Imports results from before as external validations: a spreadsheet (.xlsx, .csv: NIP, INE, objet, code, moyenne,
origine) or ScoDoc's decisions_jury JSON (.json; its ue_ids mapped to the programme's UEs by RCUE position, or by
--map). Prints the plan (and the batch key to undo) as JSON. A refused file exits 1; an unreadable one exits 2.
"""
import json
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from curriculum.models import Programme
from grading.past_results_reading import (
    MAX_JSON_BYTES,
    PastResultsError,
    proposed_mapping,
    read_scodoc_json,
    rows_from_scodoc,
    rows_from_table,
)
from grading.services.errors import ImportInvalid, ServiceError
from grading.services.past_results import past_results_import, past_results_plan, programme_year_ues
from grading.services.system_user import system_user
from grading.spreadsheet_reading import read_table

NOT_FOUND = "Fichier introuvable : {file}"
UNKNOWN_PROGRAMME = "Programme « {code} » inconnu."
UNKNOWN_USER = "Utilisateur « {login} » introuvable."
NEEDS_PROGRAMME = "Un fichier ScoDoc se lit avec --programme CODE : le programme dont il faut prendre les UE."
BAD_MAP = "--map attend UE_ID=CODE_UE, pas « {value} »."


class Command(BaseCommand):
    help = "Importe des résultats antérieurs (tableur ou JSON decisions_jury de ScoDoc) en validations externes."

    def add_arguments(self, parser):
        parser.add_argument("file", help=".xlsx/.csv (une ligne par étudiant et UE ou RCUE) ou .json de ScoDoc")
        parser.add_argument("--dry-run", action="store_true", help="montrer l'aperçu sans rien enregistrer")
        parser.add_argument("--programme", metavar="CODE", help="programme des UE (défaut : celui de l'étudiant)")
        parser.add_argument("--map", action="append", default=[], metavar="UE_ID=UE",
                            help="fichier ScoDoc : l'UE du programme d'un ue_id (corrige la correspondance)")
        parser.add_argument("--user", metavar="LOGIN", help="à qui attribuer l'import (défaut : systeme)")

    def handle(self, *args, file, dry_run, programme, map, user, **options):  # noqa: A002 - the option's name
        path = Path(file)
        if not path.is_file():
            self._fail(NOT_FOUND.format(file=file), code=1)
        programme_obj = None
        if programme:
            programme_obj = Programme.objects.filter(code=programme).first()
            if programme_obj is None:
                self._fail(UNKNOWN_PROGRAMME.format(code=programme), code=1)
        user_obj = None
        if user:
            user_obj = get_user_model().objects.filter(username=user).first()
            if user_obj is None:
                self._fail(UNKNOWN_USER.format(login=user), code=1)
        elif not dry_run:
            user_obj = system_user()  # the journal names who imported: the system, as import_grades does
        try:
            rows, mapping = self._rows(path, programme_obj, map)
        except PastResultsError as exc:
            self._fail("\n".join(exc.errors), code=2)
        try:
            if dry_run:
                plan, batch = past_results_plan(rows=rows, programme=programme_obj), None
            else:
                plan, batch = past_results_import(rows=rows, programme=programme_obj, user=user_obj,
                                                  filename=path.name)
        except ImportInvalid as exc:
            self._fail("\n".join([exc.message, *exc.errors]), code=1)
        except ServiceError as exc:
            self._fail(exc.message, code=1)
        self.stdout.write(json.dumps({
            "dry_run": dry_run, "batch": batch, "mapping": mapping,
            "new": [_item(i) for i in plan.new], "changed": [_item(i) for i in plan.changed],
            "unchanged": len(plan.unchanged),
            "shown_only": [{"student": str(s), "subject": r.subject or "année", "code": r.code} for s, r in plan.shown],
        }, ensure_ascii=False, indent=1))

    def _rows(self, path: Path, programme, overrides: list[str]):
        if path.suffix.lower() != ".json":
            with path.open("rb") as handle:
                table = read_table(_Named(handle, path.name), allow_csv=True)
            if table.error:
                raise PastResultsError([table.error])
            return rows_from_table(table.rows), {}
        if programme is None:
            self._fail(NEEDS_PROGRAMME, code=1)
        with path.open("rb") as handle:
            students = read_scodoc_json(handle.read(MAX_JSON_BYTES + 1))
        pairs, keys = programme_year_ues(programme)
        mapping = proposed_mapping(students, year_ues=pairs)
        for value in overrides:
            ue_id, _, code = value.partition("=")
            if not ue_id or not code:
                self._fail(BAD_MAP.format(value=value), code=2)
            mapping[ue_id.strip()] = code.strip()
        return rows_from_scodoc(students, mapping=mapping, rcue_keys=keys), mapping

    def _fail(self, message: str, *, code: int):
        self.stderr.write(message)
        sys.exit(code)


def _item(item) -> dict:
    return {"student": str(item.student), "ine": item.student.ine, "ue": item.ue.code, "old": item.old,
            "new": item.new, "where": item.row.where}


class _Named:
    """A file handle with the name the spreadsheet reader looks at (.xlsx or .csv)."""

    def __init__(self, handle, name: str):
        self._handle, self.name = handle, name

    def read(self, *args):
        return self._handle.read(*args)
