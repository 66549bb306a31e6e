"""`python manage.py jury_report --semester ID [--year] --format json|xlsx|pdf --output FILE`."""
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from grading.models import SemesterInstance
from jury.exports import pv_workbook, report_json
from jury.pdf import pv_pdf
from jury.report import jury_report
from jury.scope import INSTANCE_RELATED, scope_for, sessions_of

FORMATS = ("json", "xlsx", "pdf")


class Command(BaseCommand):
    help = ("Rapport de jury d'un semestre ouvert (ou, avec --year, de son année) : le même service que la page. "
            "JSON sur la sortie standard sans --output ; .xlsx et PDF (le PV) dans --output.")

    def add_arguments(self, parser):
        parser.add_argument("--semester", type=int, required=True, metavar="ID", help="semestre ouvert (id)")
        parser.add_argument("--year", action="store_true", help="toute l'année de ce semestre (impair et pair)")
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("--output", metavar="FILE", help="fichier à écrire (obligatoire pour xlsx et pdf)")

    def handle(self, *args, semester, year, format, output, **options):  # noqa: A002 - the option's name
        instance = SemesterInstance.objects.select_related(*INSTANCE_RELATED).filter(pk=semester).first()
        if instance is None:
            raise CommandError(f"Aucun semestre ouvert n'a l'identifiant {semester}.", returncode=2)
        if format != "json" and not output:
            raise CommandError(f"--output FICHIER est obligatoire pour le format {format}.", returncode=2)
        scope = scope_for(instance, year=year)
        report = jury_report(scope=scope)
        if format == "json":
            content = json.dumps(report_json(report), ensure_ascii=False, indent=2).encode()
        else:
            sessions = sessions_of(scope)
            session = sessions[0] if sessions else None
            content = (pv_workbook if format == "xlsx" else pv_pdf)(report=report, session=session)
        if output:
            Path(output).write_bytes(content)
            self.stderr.write(f"{len(report.rows)} étudiant(s) : {output}")
        else:
            sys.stdout.flush()
            self.stdout.write(content.decode())
