"""`python manage.py jury_report (--semester ID [--year] | --jury ID) --format json|xlsx|pdf --output FILE`."""
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from grading.models import JurySession, SemesterInstance
from jury.exports import pv_workbook, report_json
from jury.pdf import pv_pdf
from jury.records import session_report
from jury.report import jury_report
from jury.scope import INSTANCE_RELATED, scope_for, sessions_of

FORMATS = ("json", "xlsx", "pdf")


class Command(BaseCommand):
    help = ("Rapport de jury d'un semestre ouvert (ou, avec --year, de son année) : le même service que la page. "
            "JSON sur la sortie standard sans --output ; .xlsx et PDF (le PV) dans --output.")

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--semester", type=int, metavar="ID", help="semestre ouvert (id) : les chiffres du moment")
        target.add_argument("--jury", type=int, metavar="ID",
                            help="jury (id) : le relevé de sa clôture s'il est clos, les chiffres du moment sinon")
        parser.add_argument("--year", action="store_true", help="toute l'année de ce semestre (impair et pair)")
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("--output", metavar="FILE", help="fichier à écrire (obligatoire pour xlsx et pdf)")

    def handle(self, *args, semester, year, format, output, jury=None, **options):  # noqa: A002 - the option's name
        if format != "json" and not output:
            raise CommandError(f"--output FICHIER est obligatoire pour le format {format}.", returncode=2)
        if jury is not None:
            session = JurySession.objects.filter(pk=jury).first()
            if session is None:
                raise CommandError(f"Aucun jury n'a l'identifiant {jury}.", returncode=1)
            report = session_report(session)  # a closed jury: its record, never a recomputation
        else:
            instance = SemesterInstance.objects.select_related(*INSTANCE_RELATED).filter(pk=semester).first()
            if instance is None:
                raise CommandError(f"Aucun semestre ouvert n'a l'identifiant {semester}.", returncode=2)
            scope = scope_for(instance, year=year)
            report = jury_report(scope=scope)
            sessions = sessions_of(scope)
            session = sessions[0] if sessions else None
        if format == "json":
            content = json.dumps(report_json(report), ensure_ascii=False, indent=2).encode()
        else:
            content = (pv_workbook if format == "xlsx" else pv_pdf)(report=report, session=session)
        if output:
            Path(output).write_bytes(content)
            self.stderr.write(f"{len(report.rows)} étudiant(s) : {output}")
        else:
            sys.stdout.flush()
            self.stdout.write(content.decode())
