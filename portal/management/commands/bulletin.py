"""Write one student's bulletin for one semester, as the student sees it (or a staff working document)."""
import json

from django.core.management.base import BaseCommand, CommandError

from grading.models import SemesterInstance
from grading.selectors.roster import STUDENT_UNKNOWN, student_by_ine_or_nip
from portal.bulletins import bulletin_for
from portal.pdf import copy_of
from portal.results import student_results
from portal.serializers import bulletin_json

NO_SEMESTER = "Aucun semestre ouvert d'identifiant {id}."
NOT_ENROLLED = "{student} n'est pas inscrit(e) au semestre {semester}."


class Command(BaseCommand):
    help = "Écrit le bulletin (relevé de notes) d'un étudiant pour un semestre, en PDF ou en JSON."

    def add_arguments(self, parser):
        parser.add_argument("--student", required=True, metavar="INE|NIP", help="INE ou NIP de l'étudiant")
        parser.add_argument("--semester", required=True, type=int, metavar="ID", help="identifiant du semestre ouvert")
        parser.add_argument("--format", choices=["pdf", "json"], default="pdf")
        parser.add_argument("--output", required=True, metavar="FILE", help="fichier à écrire")
        parser.add_argument("--draft", action="store_true",
                            help="document de travail : notes et propositions non publiées comprises")

    def handle(self, *args, student, semester, format, output, draft, **options):
        record = student_by_ine_or_nip(student)
        if record is None:
            raise CommandError(STUDENT_UNKNOWN.format(key=student))
        instance = SemesterInstance.objects.filter(pk=semester).select_related("semester__programme").first()
        if instance is None:
            raise CommandError(NO_SEMESTER.format(id=semester))
        results = student_results(student=record, draft=draft)
        semester_results = results.semester(instance.pk) if results else None
        if semester_results is None:
            raise CommandError(NOT_ENROLLED.format(student=record, semester=instance))
        if format == "json":
            content = json.dumps(bulletin_json(results, semester_results, url=""), ensure_ascii=False,
                                 indent=2).encode()
        else:
            enrolment = record.enrolments.get(semester_instance=instance)
            content = bulletin_for(results=results, semester=semester_results, enrolment_id=enrolment.pk,
                                   results_version=instance.results_version, copy=copy_of(draft=draft, student=False))
        with open(output, "wb") as handle:
            handle.write(content)
        self.stdout.write(f"{output} : bulletin de {record}, {semester_results.title}")
