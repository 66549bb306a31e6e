"""Import absences from an attendance sheet (.xlsx or .csv: INE or NIP, Date, Demi-journée) into a semester, with the
checks of the web page; JSON on stdout; exit 1 with the French list of problems (nothing written), 2 on bad arguments.
"""
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from grading.absence_imports import read_absence_sheet
from grading.models import SemesterInstance
from grading.services.attendance import absences_import
from grading.services.errors import ServiceError
from grading.services.system_user import system_user
from grading.spreadsheet_reading import capped_errors


class _Named:
    """The opened file with the name and size `read_table` reads."""

    def __init__(self, handle, path: Path):
        self.handle, self.name, self.size = handle, path.name, path.stat().st_size

    def read(self, size=-1):
        return self.handle.read(size)


class Command(BaseCommand):
    help = "Importe des absences depuis un tableur (INE ou NIP, Date, Demi-journée), tout ou rien."

    def add_arguments(self, parser):
        parser.add_argument("file", help="fichier .xlsx ou .csv")
        parser.add_argument("--semester", type=int, required=True, help="identifiant du semestre ouvert")
        parser.add_argument("--dry-run", action="store_true", help="vérifier sans rien enregistrer")
        parser.add_argument("--user", help="identifiant de l'utilisateur (par défaut : l'utilisateur système)")

    def handle(self, *args, file, semester, dry_run, user, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {file}", returncode=2)
        instance = SemesterInstance.objects.filter(pk=semester).first()
        if instance is None:
            raise CommandError(f"Semestre {semester} introuvable.", returncode=2)
        user_obj = system_user()
        if user:
            user_obj = get_user_model().objects.filter(username=user).first()
            if user_obj is None:
                raise CommandError(f"Utilisateur « {user} » introuvable.", returncode=2)
        with path.open("rb") as handle:
            sheet = read_absence_sheet(file=_Named(handle, path), semester_instance=instance)
        if sheet.errors:
            raise CommandError("\n".join(capped_errors(sheet.errors)), returncode=1)
        added = 0
        if not dry_run:
            try:
                added = absences_import(semester_instance=instance, rows=sheet.rows, user=user_obj)
            except ServiceError as exc:
                raise CommandError(exc.message, returncode=1) from None
        self.stdout.write(json.dumps({"semester": instance.pk, "half_days_read": len(sheet.rows), "added": added,
                                      "dry_run": dry_run}, ensure_ascii=False))
