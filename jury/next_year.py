"""Next year's enrolments from the year decisions (R16, R11): a preview, then one confirmation.

RED re-enrols in the same year (marked as a repeat); ADM, PASD, PAS1NCI and ADJ enrol in the next year
(a BUT3 admitted student graduates: no enrolment); NAR, DEM, DEF, ABAN, EXCLU and the decisions still
pending (RAT, ATJ, ABL, none recorded) enrol nobody. Nobody is enrolled twice; what a student acquired stays
capitalised because the engine reads their whole path (R11).
"""
from dataclasses import dataclass, field

from django.db import transaction

from grading.engine.codes import DecisionCode, EnrolmentStatus, JuryLevel
from grading.models import AcademicYear, Enrolment, JuryDecision, SemesterInstance
from grading.services.audit_entries import audit_row, batch_key, journal
from grading.services.errors import ServiceError, ensure_unlocked
from jury.scope import Scope

NEXT = "next"
REPEAT = "repeat"
NONE = "none"
MOVES_UP = {DecisionCode.ADM, DecisionCode.PASD, DecisionCode.PAS1NCI, DecisionCode.ADJ}
ACTION_LABELS = {NEXT: "année suivante", REPEAT: "redoublement", NONE: "aucune inscription"}
WHY_NONE = {
    None: "aucune décision d'année enregistrée",
    DecisionCode.NAR: "non autorisé(e) à redoubler", DecisionCode.EXCLU: "exclu(e)",
    DecisionCode.DEM: "démission", DecisionCode.DEF: "défaillant(e)", DecisionCode.ABAN: "abandon",
    DecisionCode.RAT: "en attente de rattrapage", DecisionCode.ATJ: "en attente de justificatif",
    DecisionCode.ABL: "année blanche", DecisionCode.ATT: "décision en attente",
}
GRADUATED = "diplômé(e) : dernière année du BUT"
NO_TARGET = "Choisissez le semestre d'inscription pour {what}."
NOTHING_TO_DO = "Personne à inscrire : l'aperçu ne prévoit aucune inscription."


@dataclass(frozen=True)
class Targets:
    next_odd: SemesterInstance | None = None
    next_even: SemesterInstance | None = None
    repeat_odd: SemesterInstance | None = None
    repeat_even: SemesterInstance | None = None

    def of(self, action: str) -> list[SemesterInstance]:
        pair = (self.next_odd, self.next_even) if action == NEXT else (
            (self.repeat_odd, self.repeat_even) if action == REPEAT else ())
        return [i for i in pair if i is not None]


@dataclass
class PlanLine:
    enrolment: Enrolment  # the student's latest enrolment in the scope
    decision: str | None
    action: str
    why: str = ""
    to_enrol: list[SemesterInstance] = field(default_factory=list)
    already: list[SemesterInstance] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]


def default_targets(scope: Scope) -> Targets:
    """Return the instances of the following academic year a department would pick (label-less sessions)."""
    odd = 2 * scope.year - 1
    year = AcademicYear.objects.filter(start_year=scope.academic_year.start_year + 1).first()
    if year is None:
        return Targets()
    found = {i.semester.number: i for i in SemesterInstance.objects.filter(
        semester__programme_id=scope.programme.pk, academic_year=year, label="",
        semester__number__in=[odd, odd + 1, odd + 2, odd + 3]).select_related("semester")}
    return Targets(next_odd=found.get(odd + 2), next_even=found.get(odd + 3), repeat_odd=found.get(odd),
                   repeat_even=found.get(odd + 1))


def next_year_plan(*, scope: Scope, targets: Targets) -> list[PlanLine]:
    """Return, for each student of the year, where the recorded year decision sends them (3 queries)."""
    enrolments = list(Enrolment.objects.filter(semester_instance_id__in=scope.ids)
                      .select_related("student", "parcours", "semester_instance__semester")
                      .order_by("student__last_name", "student__first_name", "student__ine",
                                "semester_instance__semester__number"))
    latest = {e.student_id: e for e in enrolments}
    decisions = dict(JuryDecision.objects.filter(
        enrolment__in=[e.pk for e in enrolments], level=JuryLevel.YEAR, subject=str(scope.year),
        superseded_by__isnull=True).order_by("at", "id").values_list("enrolment__student_id", "code"))
    wanted = [i.pk for i in (targets.next_odd, targets.next_even, targets.repeat_odd, targets.repeat_even) if i]
    enrolled = set(Enrolment.objects.filter(student_id__in=list(latest), semester_instance_id__in=wanted)
                   .values_list("student_id", "semester_instance_id"))
    plan = []
    for student_id, enrolment in latest.items():
        decision = decisions.get(student_id)
        action, why = _action(decision, scope.year)
        line = PlanLine(enrolment=enrolment, decision=decision, action=action, why=why)
        for instance in targets.of(action):
            (line.already if (student_id, instance.pk) in enrolled else line.to_enrol).append(instance)
        plan.append(line)
    return plan


def _action(decision: str | None, year: int) -> tuple[str, str]:
    if decision == DecisionCode.RED:
        return REPEAT, ""
    if decision in MOVES_UP:
        return (NONE, GRADUATED) if year == 3 else (NEXT, "")
    return NONE, WHY_NONE.get(decision, WHY_NONE[None])


@dataclass(frozen=True)
class EnrolResult:
    created: int
    students: int
    batch: str


def next_year_enrol(*, scope: Scope, targets: Targets, user) -> EnrolResult:
    """Enrol the promotion as the plan says, all or nothing, audited as one batch."""
    plan = next_year_plan(scope=scope, targets=targets)
    for action, what in ((NEXT, "l'année suivante"), (REPEAT, "les redoublants")):
        if any(line.action == action for line in plan) and not targets.of(action):
            raise ServiceError(NO_TARGET.format(what=what))
    if not any(line.to_enrol for line in plan):
        raise ServiceError(NOTHING_TO_DO)
    batch = batch_key("annee-suivante")
    with transaction.atomic():
        for instance in {i for line in plan for i in line.to_enrol}:
            ensure_unlocked(instance)
        plan = next_year_plan(scope=scope, targets=targets)  # read again under the locks: nobody twice
        created = [Enrolment(student=line.enrolment.student, semester_instance=instance,
                             parcours=line.enrolment.parcours, status=EnrolmentStatus.ENROLLED,
                             is_repeat=line.action == REPEAT)
                   for line in plan for instance in line.to_enrol]
        Enrolment.objects.bulk_create(created)
        journal(audit_row(obj=e, action="create", user=user, label=f"{e.student} – {e.semester_instance}",
                          new=f"{e.semester_instance}{' (redoublement)' if e.is_repeat else ''}",
                          reason=f"Inscription depuis les décisions du jury {scope.title}", batch=batch)
                for e in created)
    return EnrolResult(created=len(created), students=len({e.student_id for e in created}), batch=batch)
