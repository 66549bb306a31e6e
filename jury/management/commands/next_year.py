"""`python manage.py next_year --jury ID [--confirm] [--user LOGIN]`: the next year's enrolments of a year jury.

The same plan and service as the jury's « Année suivante » page (`jury.next_year`): without `--confirm`, the
preview (every student, their targets or « sans inscription prévue » and why); with it, the enrolment of those who
have a target (run again, it enrols only who is not enrolled yet). JSON on stdout; refusals in French, exit 1.
"""
import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from grading.models import JurySession
from grading.services.errors import ServiceError
from grading.services.system_user import system_user
from jury.next_year import NextYearPlan, next_year_enrol, next_year_plan
from jury.scope import scope_of_session

NO_JURY = "Aucun jury n'a l'identifiant {id}."
NO_USER = "Aucun utilisateur n'a l'identifiant « {login} »."
NOT_A_YEAR = "Le jury {id} est un jury de semestre impair : il ne décide pas de l'année (R13)."


def plan_json(plan: NextYearPlan) -> dict:
    return {
        "year": f"{plan.next_start}-{plan.next_start + 1}",
        "to_enrol": plan.to_enrol,
        "without_target": len(plan.without_target),
        "targets": [{"decisions": group.decision_list, "parcours": group.parcours_code or None,
                     "action": group.action, "students": group.students,
                     "semesters": [{"number": slot.number, "instance": slot.instance.pk if slot.instance else None,
                                    "name": str(slot.instance) if slot.instance else None,
                                    "missing": slot.missing or None} for slot in group.slots]}
                    for group in plan.groups],
        "students": [{"ine": line.enrolment.student.ine, "last_name": line.enrolment.student.last_name,
                      "first_name": line.enrolment.student.first_name, "decision": line.decision,
                      "action": line.action, "to_enrol": [i.pk for i in line.to_enrol],
                      "already": [i.pk for i in line.already], "without_target": line.without_target,
                      "reason": line.reason or None} for line in plan.lines],
    }


class Command(BaseCommand):
    help = ("Inscriptions de l'année suivante d'après les décisions d'un jury d'année : aperçu (JSON), "
            "puis --confirm inscrit ceux qui ont une cible (jamais deux fois).")

    def add_arguments(self, parser):
        parser.add_argument("--jury", type=int, required=True, metavar="ID")
        parser.add_argument("--confirm", action="store_true", help="inscrire (sinon : l'aperçu seulement)")
        parser.add_argument("--user", metavar="LOGIN", help="qui signe (par défaut : l'utilisateur système)")

    def handle(self, *args, jury, confirm, user=None, **options):
        session = JurySession.objects.filter(pk=jury).first()
        if session is None:
            raise CommandError(NO_JURY.format(id=jury), returncode=1)
        scope = scope_of_session(session)
        if not scope.decides_year:
            raise CommandError(NOT_A_YEAR.format(id=jury), returncode=1)
        out = {"jury": session.pk}
        if confirm:
            try:
                result = next_year_enrol(scope=scope, user=self.signer(user))
            except ServiceError as exc:
                raise CommandError(exc.message, returncode=1) from exc
            out["enrolled"] = {"created": result.created, "students": result.students, "batch": result.batch}
        out.update(plan_json(next_year_plan(scope=scope)))
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))

    def signer(self, login: str | None):
        if not login:
            return system_user()
        found = get_user_model().objects.filter(username=login).first()
        if found is None:
            raise CommandError(NO_USER.format(login=login), returncode=1)
        return found
