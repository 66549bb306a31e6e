"""`python manage.py jury_session open|accept-proposals|decide|close|reopen|publish …`: script a jury.

The same services as the jury's pages (`jury.sessions`, `jury.decisions`, `portal.publication`), so that a
department (and a test) can hold a jury from the command line: JSON on stdout, refusals in French with exit 1,
malformed input with exit 2. `--user LOGIN` signs (default: the system user).
"""
import datetime
import json

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from grading.engine.codes import JuryLevel
from grading.models import Enrolment, JurySession, SemesterInstance
from grading.selectors.jury_records import current_record
from grading.selectors.roster import STUDENT_UNKNOWN, student_by_ine_or_nip
from grading.services.errors import ServiceError
from grading.services.system_user import system_user
from jury.attestations import NOT_CLOSED, STUDENT_NOT_ELIGIBLE, attestations_pdf, session_attestations
from jury.decisions import decision_override, proposals_accept
from jury.documents import record_documents_make
from jury.scope import INSTANCE_RELATED, scope_for
from jury.sessions import session_close, session_create, session_reopen
from portal.links import site_url
from portal.publication import jury_publish

NO_SEMESTER = "Aucun semestre ouvert n'a l'identifiant {id}."
NO_JURY = "Aucun jury n'a l'identifiant {id}."
NO_USER = "Aucun utilisateur n'a l'identifiant « {login} »."
NOT_IN_JURY = "{student} n'est inscrit dans aucun semestre que ce jury décide."
NOT_CLOSED_DOCUMENTS = "Ce jury n'est pas clos : son PV et ses lettres ne sont pas encore archivés."
BAD_DATE = "--date : « {date} » n'est pas une date AAAA-MM-JJ."


class Command(BaseCommand):
    help = ("Tient un jury en ligne de commande, par les mêmes services que les pages : open, accept-proposals, "
            "decide, close, reopen, publish, attestations, documents (JSON sur la sortie standard ; refus en "
            "français, code 1).")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        opening = actions.add_parser("open", help="ouvrir un jury pour un semestre (ou son année avec --year)")
        opening.add_argument("--semester", type=int, required=True, metavar="ID")
        opening.add_argument("--year", action="store_true", help="l'année du semestre (impair et pair)")
        opening.add_argument("--date", required=True, metavar="AAAA-MM-JJ")
        opening.add_argument("--president", required=True, metavar="NOM")
        opening.add_argument("--member", action="append", default=[], metavar="LOGIN",
                             help="un membre de jury affecté à la promotion (répétable)")
        accept = actions.add_parser("accept-proposals", help="enregistrer les propositions comme décisions")
        accept.add_argument("jury", type=int, metavar="JURY")
        decide = actions.add_parser("decide", help="enregistrer la décision du jury pour un étudiant")
        decide.add_argument("jury", type=int, metavar="JURY")
        decide.add_argument("--student", required=True, metavar="INE|NIP", help="INE ou NIP de l'étudiant")
        decide.add_argument("--subject", required=True, metavar="S", help="code d'UE, clé de RCUE (C1-2) ou year")
        decide.add_argument("--code", required=True, metavar="C")
        decide.add_argument("--reason", required=True, metavar="R")
        close = actions.add_parser("close", help="clore le jury (refusé tant qu'un étudiant est sans décision)")
        close.add_argument("jury", type=int, metavar="JURY")
        reopen = actions.add_parser("reopen", help="rouvrir un jury clos (direction, avec un motif)")
        reopen.add_argument("jury", type=int, metavar="JURY")
        reopen.add_argument("--reason", required=True, metavar="R")
        publish = actions.add_parser("publish", help="publier les décisions et les notes sur lesquelles elles portent")
        publish.add_argument("jury", type=int, metavar="JURY")
        attest = actions.add_parser("attestations", help="attestations de réussite (DUT 120 ECTS, BUT 180) d'un "
                                                         "jury d'année clos, d'un étudiant ou de la promotion")
        attest.add_argument("jury", type=int, metavar="JURY")
        attest.add_argument("--student", metavar="INE|NIP", help="un seul étudiant (par défaut : la promotion)")
        attest.add_argument("--output", metavar="FICHIER.pdf", help="écrire les attestations dans ce PDF")
        documents = actions.add_parser("documents", help="faire et archiver maintenant le PV et les lettres d'un "
                                                          "jury clos (sinon le worker les fait après la clôture)")
        documents.add_argument("jury", type=int, metavar="JURY")
        for sub in (opening, accept, decide, close, reopen, publish, attest, documents):
            sub.add_argument("--user", metavar="LOGIN", help="qui signe (par défaut : l'utilisateur système)")

    def handle(self, *args, action, user=None, **options):
        signer = self.signer(user)
        try:
            out = getattr(self, action.replace("-", "_"))(user=signer, **options)
        except ServiceError as exc:
            raise CommandError(exc.message, returncode=1) from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages), returncode=1) from exc
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))

    # ------------------------------------------------------------ actions

    def open(self, *, user, semester, year, date, president, member, **options) -> dict:
        instance = SemesterInstance.objects.select_related(*INSTANCE_RELATED).filter(pk=semester).first()
        if instance is None:
            raise CommandError(NO_SEMESTER.format(id=semester), returncode=1)
        try:
            day = datetime.date.fromisoformat(date)
        except ValueError:
            raise CommandError(BAD_DATE.format(date=date), returncode=2) from None
        scope = scope_for(instance, year=year)
        members = [self.signer(login) for login in member]
        session = session_create(semester_instances=list(scope.instances), date=day, president=president,
                                 members=members, user=user)
        return {"id": session.pk, "semesters": scope.ids, "date": day.isoformat(), "president": session.president,
                "members": [m.get_username() for m in members]}

    def accept_proposals(self, *, user, jury, **options) -> dict:
        session = self.session(jury)
        done = proposals_accept(session=session, user=user)
        return {"id": session.pk, "recorded": done.recorded, "already": done.already, "blocked": done.blocked,
                "codes": dict(done.counts)}

    def decide(self, *, user, jury, student, subject, code, reason, **options) -> dict:
        session = self.session(jury)
        found = student_by_ine_or_nip(student)
        if found is None:
            raise CommandError(STUDENT_UNKNOWN.format(key=student), returncode=1)
        enrolment = (Enrolment.objects.filter(student=found, semester_instance__in=session.semester_instances.all())
                     .select_related("semester_instance__semester").order_by("semester_instance__semester__number")
                     .last())  # the latest in the jury's scope, as the pages record on
        if enrolment is None:
            raise CommandError(NOT_IN_JURY.format(student=found), returncode=1)
        if subject == "year":
            level, subject = JuryLevel.YEAR, str(enrolment.semester_instance.semester.year)
        elif subject.startswith("UE"):
            level = JuryLevel.UE
        else:
            level = JuryLevel.RCUE
        decision = decision_override(enrolment=enrolment, level=level, subject=subject, code=code, reason=reason,
                                     user=user, session=session)
        return {"id": decision.pk, "jury": session.pk, "student": found.ine, "level": str(level),
                "subject": subject, "code": decision.code, "reason": decision.reason}

    def close(self, *, user, jury, **options) -> dict:
        session = session_close(session=self.session(jury), user=user)
        record = current_record(session)
        return {"id": session.pk, "closed_at": session.closed_at.isoformat(), "record": record.pk,
                "students": record.students.count()}

    def reopen(self, *, user, jury, reason, **options) -> dict:
        session = session_reopen(session=self.session(jury), user=user, reason=reason)
        return {"id": session.pk, "closed": session.is_closed}

    def publish(self, *, user, jury, **options) -> dict:
        session = self.session(jury)
        with transaction.atomic():
            done = jury_publish(session=session, user=user, base_url=site_url(), notify=True)
        session.refresh_from_db()
        return {"id": session.pk, "published_at": session.published_at.isoformat(), "notified": done.notified,
                "without_account": done.without_account, "declined": done.declined}

    def attestations(self, *, user, jury, student=None, output=None, **options) -> dict:
        session = self.session(jury)
        if current_record(session) is None:
            raise CommandError(NOT_CLOSED, returncode=1)
        found = None
        if student:
            found = student_by_ine_or_nip(student)
            if found is None:
                raise CommandError(STUDENT_UNKNOWN.format(key=student), returncode=1)
        items = session_attestations(session=session, student_id=found.pk if found else None)
        if found is not None and not items:
            raise CommandError(STUDENT_NOT_ELIGIBLE.format(student=found), returncode=1)
        if output and items:
            with open(output, "wb") as handle:
                handle.write(attestations_pdf(session=session, items=items))
        return {"id": session.pk, "output": output if items else None,
                "attestations": [{"ine": a.ine, "last_name": a.last_name, "first_name": a.first_name,
                                  "diploma": a.diploma, "ects": float(a.ects)} for a in items]}

    def documents(self, *, user, jury, **options) -> dict:
        record = current_record(self.session(jury))
        if record is None:
            raise CommandError(NOT_CLOSED_DOCUMENTS, returncode=1)
        made = record_documents_make(record_id=record.pk)
        return {"id": jury, "record": record.pk, "made": made,
                "stored": {d.kind: d.size for d in record.documents.all()}}

    # ------------------------------------------------------------ helpers

    def session(self, pk: int) -> JurySession:
        session = JurySession.objects.filter(pk=pk).first()
        if session is None:
            raise CommandError(NO_JURY.format(id=pk), returncode=1)
        return session

    def signer(self, login: str | None):
        if not login:
            return system_user()
        user = get_user_model().objects.filter(username=login).first()
        if user is None:
            raise CommandError(NO_USER.format(login=login), returncode=1)
        return user

