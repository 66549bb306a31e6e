"""One student's personal data: `--export FILE` (everything held, JSON) or `--anonymise` (past the retention time).

Both are journaled. Refusals in French, exit 1; a malformed command line, exit 2.
"""
import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from grading.personal_data import StillKept, student_anonymise, student_export
from grading.selectors.roster import STUDENT_UNKNOWN, student_by_ine_or_nip

NO_USER = "Aucun utilisateur d'identifiant {login}."


class Command(BaseCommand):
    help = "Exporte (JSON) ou anonymise les données personnelles d'un étudiant."

    def add_arguments(self, parser):
        parser.add_argument("--student", required=True, metavar="INE|NIP", help="INE ou NIP de l'étudiant")
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--export", metavar="FILE", help="fichier JSON à écrire")
        action.add_argument("--anonymise", action="store_true", help="anonymiser (durée de conservation passée)")
        parser.add_argument("--user", metavar="LOGIN", help="qui le demande (journal)")

    def handle(self, *args, student, export, anonymise, user, **options):
        record = student_by_ine_or_nip(student)
        if record is None:
            raise CommandError(STUDENT_UNKNOWN.format(key=student))
        who = None
        if user:
            who = get_user_model().objects.filter(username=user).first()
            if who is None:
                raise CommandError(NO_USER.format(login=user))
        if export:
            data = student_export(student=record, user=who)
            with open(export, "w", encoding="utf-8") as handle:
                json.dump(data, handle, ensure_ascii=False, indent=2)
            self.stdout.write(json.dumps({"student": record.ine, "export": export,
                                          "sections": {k: len(v) for k, v in data.items() if isinstance(v, list)}},
                                         ensure_ascii=False))
            return
        try:
            student_anonymise(student=record, user=who)
        except StillKept as kept:
            raise CommandError(str(kept)) from None
        record.refresh_from_db()
        self.stdout.write(json.dumps({"student": record.ine, "anonymised": True}, ensure_ascii=False))
