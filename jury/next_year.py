"""Next year's enrolments from the year decisions (R16, R11): where each decision sends a student, a preview of every
student, then one confirmation that enrols those who have a target and leaves the others listed.

RED re-enrols in the same year (marked as a repeat); ADM, PASD, PAS1NCI and ADJ enrol in the next year (a BUT3
admitted student graduates: no enrolment); NAR, DEM, DEF, ABAN, EXCLU and the decisions still pending (RAT, ATJ,
ABL, none recorded) enrol nobody. What a student acquired stays capitalised because the engine reads their whole
path (R11).

The targets are the next academic year's semester instances of the same programme, or of its newer version from
that year on (curriculum.versions), and, when that programme has no such semester (Dijon's BUT2 has no S5), of
another programme of the speciality with the student's parcours (the same IUT and modality first). A target
semester not opened yet is named, with the programmes it can be opened from. Nobody is enrolled twice: a student
already enrolled next year in a semester of that number is left as they are.
"""
from dataclasses import dataclass, field

from curriculum.models import Programme, Semester
from curriculum.versions import replacement_for
from grading.engine.codes import DecisionCode, JuryLevel
from grading.models import Enrolment, JuryDecision, SemesterInstance
from grading.models.semesters import NAME_RELATED, name_related
from grading.services.next_year import (
    EnrolResult,
    NewEnrolment,
    next_year_enrolments_create,
    next_year_semester_open,
)
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
NO_PROGRAMME = "aucun programme{parcours} ne propose le S{number} en {year}"
NOT_OPENED = "S{number} {year} pas encore ouvert ({programme})"
LOCKED = "{instance} est verrouillé"
WITHOUT_TARGET = "sans inscription prévue"
ENROL_REASON = "Inscription depuis les décisions du jury {title}"
OPEN_REASON = "Ouvert pour l'année suivante depuis le jury {title}"


@dataclass
class Slot:
    """One semester a group of students goes to next year: its instance once opened, else the programmes it can
    be opened from (the suggested one first; none when no programme has that semester)."""

    action: str
    number: int
    parcours_code: str
    year_label: str
    instance: SemesterInstance | None = None
    programmes: list[Programme] = field(default_factory=list)

    @property
    def missing(self) -> str:
        """Why nobody can be enrolled in this slot ("" when they can)."""
        if self.instance is not None:
            return LOCKED.format(instance=self.instance) if self.instance.is_locked else ""
        if not self.programmes:
            return NO_PROGRAMME.format(parcours=self.parcours_phrase, number=self.number, year=self.year_label)
        return NOT_OPENED.format(number=self.number, year=self.year_label, programme=self.programmes[0].code)

    @property
    def parcours_phrase(self) -> str:
        return f" du parcours {self.parcours_code}" if self.parcours_code else ""

    @property
    def semesters(self) -> list[Semester]:
        """The programmes' semesters of this number, to open one of them."""
        return [s for p in self.programmes for s in p.semesters.all() if s.number == self.number]


@dataclass
class TargetGroup:
    """The targets of one kind of decision for one parcours: a line of the page's « Cibles » table."""

    action: str
    parcours_code: str
    slots: list[Slot]
    decisions: set = field(default_factory=set)
    students: int = 0

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]

    @property
    def decision_list(self) -> str:
        return ", ".join(sorted(str(d) for d in self.decisions))


@dataclass
class PlanLine:
    enrolment: Enrolment  # the student's latest enrolment in the scope
    decision: str | None
    action: str
    why: str = ""
    to_enrol: list[SemesterInstance] = field(default_factory=list)
    already: list[SemesterInstance] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]

    @property
    def without_target(self) -> bool:
        """« sans inscription prévue »: nothing to enrol in and nothing enrolled already."""
        return not (self.to_enrol or self.already)

    @property
    def reason(self) -> str:
        """Why the student goes nowhere, or what is missing beside their targets."""
        return "; ".join([self.why] if self.why else self.missing)


@dataclass
class NextYearPlan:
    lines: list[PlanLine]
    groups: list[TargetGroup]
    next_start: int

    @property
    def to_enrol(self) -> int:
        return sum(len(line.to_enrol) for line in self.lines)

    @property
    def without_target(self) -> list[PlanLine]:
        return [line for line in self.lines if line.without_target]

    @property
    def slots_to_open(self) -> list[Slot]:
        seen, found = set(), []
        for group in self.groups:
            for slot in group.slots:
                key = tuple(s.pk for s in slot.semesters)
                if slot.instance is None and key and key not in seen:
                    seen.add(key)
                    found.append(slot)
        return found


def next_start_year(scope: Scope) -> int:
    return scope.academic_year.start_year + 1


def _numbers(scope: Scope, action: str) -> tuple[int, ...]:
    odd = 2 * scope.year - 1
    return (odd + 2, odd + 3) if action == NEXT else (odd, odd + 1)


class _Targets:
    """Where each (action, parcours) goes: the programmes and instances of the next academic year (memoised)."""

    def __init__(self, scope: Scope):
        self.scope = scope
        self.start = next_start_year(scope)
        self.year_label = f"{self.start}-{self.start + 1}"
        own = scope.programme
        self.own = Programme.objects.prefetch_related("semesters").get(pk=(replacement_for(own, self.start) or own).pk)
        self.own_versions = {own.pk, self.own.pk}
        self.label = scope.first.label
        self.instances = list(SemesterInstance.objects.select_related(*NAME_RELATED, "semester__programme")
                              .filter(academic_year__start_year=self.start,
                                      semester__programme__speciality_id=own.speciality_id))
        self.cache: dict[tuple, list[Slot]] = {}

    def slots(self, action: str, parcours_id: int | None, parcours_code: str) -> list[Slot]:
        key = (action, parcours_id)
        if key not in self.cache:
            self.cache[key] = [self._slot(action, number, parcours_id, parcours_code)
                               for number in _numbers(self.scope, action)]
        return self.cache[key]

    def _slot(self, action: str, number: int, parcours_id: int | None, parcours_code: str) -> Slot:
        slot = Slot(action=action, number=number, parcours_code=parcours_code, year_label=self.year_label)
        if any(s.number == number for s in self.own.semesters.all()):
            slot.programmes = [self.own]
            programme_ids = self.own_versions
        else:
            slot.programmes = self._others(number, parcours_id)
            programme_ids = {p.pk for p in slot.programmes}
        found = [i for i in self.instances if i.semester.number == number and i.semester.programme_id in programme_ids]
        found.sort(key=lambda i: (i.label != self.label, i.label != "", i.label, i.pk))
        slot.instance = found[0] if found else None
        return slot

    def _others(self, number: int, parcours_id: int | None) -> list[Programme]:
        """Other programmes of the speciality with the parcours and the semester, latest versions, nearest first."""
        if parcours_id is None:
            return []
        own = self.scope.programme
        candidates = (Programme.objects.filter(speciality_id=own.speciality_id, parcours_id=parcours_id,
                                               semesters__number=number, first_year__lte=self.start)
                      .exclude(pk__in=self.own_versions).prefetch_related("semesters").distinct())
        kept = [p for p in candidates if replacement_for(p, self.start) is None]
        return sorted(kept, key=lambda p: (p.iut != own.iut, p.modality != own.modality, -p.first_year, p.code))


def _action(decision: str | None, year: int) -> tuple[str, str]:
    if decision == DecisionCode.RED:
        return REPEAT, ""
    if decision in MOVES_UP:
        return (NONE, GRADUATED) if year == 3 else (NEXT, "")
    return NONE, WHY_NONE.get(decision, WHY_NONE[None])


def next_year_plan(*, scope: Scope) -> NextYearPlan:
    """Return, for each student of the year, where the recorded year decision sends them next year."""
    enrolments = list(Enrolment.objects.filter(semester_instance_id__in=scope.ids)
                      .select_related("student", "parcours", "semester_instance__semester")
                      .order_by("student__last_name", "student__first_name", "student__ine",
                                "semester_instance__semester__number"))
    latest = {e.student_id: e for e in enrolments}
    decisions = dict(JuryDecision.objects.filter(
        enrolment__in=[e.pk for e in enrolments], level=JuryLevel.YEAR, subject=str(scope.year),
        superseded_by__isnull=True).order_by("at", "id").values_list("enrolment__student_id", "code"))
    targets = _Targets(scope)
    enrolled: dict[tuple[int, int], SemesterInstance] = {}  # (student, semester number) next year -> instance
    later = Enrolment.objects.filter(student_id__in=list(latest), semester_instance__academic_year__start_year=
                                     targets.start).select_related(*name_related("semester_instance"))
    for e in later:
        enrolled[(e.student_id, e.semester_instance.semester.number)] = e.semester_instance
    lines, groups = [], {}
    for student_id, enrolment in latest.items():
        decision = decisions.get(student_id)
        action, why = _action(decision, scope.year)
        line = PlanLine(enrolment=enrolment, decision=decision, action=action, why=why)
        lines.append(line)
        if action == NONE:
            continue
        parcours_code = enrolment.parcours.code if enrolment.parcours else ""
        slots = targets.slots(action, enrolment.parcours_id, parcours_code)
        group = groups.setdefault((action, enrolment.parcours_id),
                                  TargetGroup(action=action, parcours_code=parcours_code, slots=slots))
        group.decisions.add(decision)
        group.students += 1
        unoffered = []
        for slot in slots:
            if (student_id, slot.number) in enrolled:
                line.already.append(enrolled[(student_id, slot.number)])
            elif slot.missing:
                line.missing.append(slot.missing)
                if not slot.programmes:
                    unoffered.append(slot)
            else:
                line.to_enrol.append(slot.instance)
        if len(unoffered) == len(line.missing) == 2:  # one sentence: neither semester is offered anywhere
            line.missing = [NO_PROGRAMME.format(parcours=unoffered[0].parcours_phrase, number=f"{unoffered[0].number} "
                                                f"ni le S{unoffered[1].number}", year=targets.year_label)]
    ordered = sorted(groups.values(), key=lambda g: (g.action != NEXT, g.parcours_code))
    return NextYearPlan(lines=lines, groups=ordered, next_start=targets.start)


def next_year_enrol(*, scope: Scope, user) -> EnrolResult:
    """Enrol every student of the plan who has a target (the others stay listed), audited as one batch."""
    def planned() -> list[NewEnrolment]:
        return [NewEnrolment(enrolment=line.enrolment, instance=instance, is_repeat=line.action == REPEAT)
                for line in next_year_plan(scope=scope).lines for instance in line.to_enrol]
    return next_year_enrolments_create(planned=planned, user=user, reason=ENROL_REASON.format(title=scope.title))


def next_year_open(*, scope: Scope, semester: Semester, user) -> SemesterInstance:
    """Open a missing target semester for the year after the scope's, with the scope's label."""
    return next_year_semester_open(semester=semester, start_year=next_start_year(scope), label=scope.first.label,
                                   user=user, reason=OPEN_REASON.format(title=scope.title))


def open_choices(plan: NextYearPlan) -> list[Semester]:
    """The semesters the page offers to open: those of every target slot not opened yet."""
    return [s for slot in plan.slots_to_open for s in slot.semesters]
