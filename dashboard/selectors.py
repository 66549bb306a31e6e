"""What each role has to do, for the home page: a fixed number of queries per role, whatever the department's size.

- Secrétariat: per semester still open (not locked by a jury), its incomplete evaluations (R2) and those not
  published to students; the closed juries whose decisions are not published yet.
- Enseignant: the evaluations of the modules they grade, in open semesters, that still wait for grades.
- Jury: the promotions they sit for (Direction's assignment, or all of them by the department's choice), and per
  promotion of the open semesters the jury to hold with its blockers: students without a decision, incomplete and
  unpublished evaluations.
- Direction: frozen programmes (a jury locked one of their semesters) and draft ones (no semester opened yet, no
  newer version), the open juries, and the promotions' juries to hold as a jury member sees them.
"""
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q

from curriculum.models import Programme
from grading.access import EVERY, jury_promotions
from grading.engine.codes import EnrolmentStatus, JuryLevel
from grading.models import (
    AccessPolicy,
    Enrolment,
    JuryDecision,
    JuryPromotion,
    JurySession,
    ModuleResponsible,
    SemesterInstance,
)
from grading.naming import promotion_label
from grading.selectors.pending import PendingEvaluation, pending_evaluations

# ---------------------------------------------------------------- secretariat


@dataclass
class SemesterTodo:
    instance: SemesterInstance
    incomplete: list[PendingEvaluation]
    unpublished: list[PendingEvaluation]

    @property
    def ready(self) -> list[PendingEvaluation]:
        """The unpublished evaluations every student has a grade in: ready to publish."""
        return [p for p in self.unpublished if not p.missing]


def open_instances(**filters):
    """The semester instances not locked by a jury, named, the latest year first."""
    return (SemesterInstance.objects.named().filter(is_locked=False, **filters)
            .order_by("-academic_year__start_year", "semester__programme__code", "label", "semester__number"))


def secretariat_semesters() -> list[SemesterTodo]:
    """Every open semester with its incomplete evaluations and those not published yet (those with neither are
    left out)."""
    instances = list(open_instances())
    pending = pending_evaluations(instances=instances)
    todo = []
    for instance in instances:
        items = pending.get(instance.pk, [])
        row = SemesterTodo(instance=instance, incomplete=[p for p in items if p.incomplete],
                           unpublished=[p for p in items if not p.evaluation.is_published])
        if row.incomplete or row.unpublished:
            todo.append(row)
    return todo


def unpublished_juries() -> list[JurySession]:
    """The closed juries whose decisions students cannot read yet, the latest first."""
    return list(JurySession.objects.filter(closed_at__isnull=False, published_at__isnull=True)
                .prefetch_related(_named_instances()).order_by("-date", "-id"))


# ---------------------------------------------------------------- teacher


def teacher_evaluations(user) -> list[PendingEvaluation]:
    """The evaluations of the modules the user grades, in open semesters, still waiting for grades (by date)."""
    pairs = set(ModuleResponsible.objects.filter(user=user, semester_instance__is_locked=False)
                .values_list("semester_instance_id", "module_id"))
    if not pairs:
        return []
    instances = list(open_instances(pk__in={i for i, _ in pairs}))
    pending = pending_evaluations(instances=instances, module_ids={m for _, m in pairs})
    names = {i.pk: i for i in instances}
    found = []
    for instance_id, items in pending.items():
        for item in items:
            if item.missing and (instance_id, item.evaluation.module_id) in pairs:
                item.evaluation.semester_instance = names[instance_id]  # named, without another query
                found.append(item)
    far = "9999-12-31"
    found.sort(key=lambda p: (str(p.evaluation.date or far), p.evaluation.module.code, p.evaluation.pk))
    return found


# ---------------------------------------------------------------- jury


@dataclass
class PromotionTodo:
    """One promotion (a programme's BUT year in an academic year) of open semesters, and its jury to hold."""

    instances: list[SemesterInstance]
    sessions: list[JurySession] = field(default_factory=list)  # open juries deciding some of its semesters
    undecided: int = 0  # registered students without a decision in force
    incomplete: int = 0
    unpublished: int = 0

    @property
    def first(self) -> SemesterInstance:
        return self.instances[0]

    @property
    def name(self) -> str:
        """« BUT2 MPI alternance — Dijon-Auxerre — 2026-2027 », as promotions are named everywhere."""
        return promotion_label(self.instances)

    @property
    def decides_year(self) -> bool:
        """Its jury decides the year (R16): it holds the even semester (the odd one may be locked already)."""
        return any(i.semester.number % 2 == 0 for i in self.instances)

    @property
    def report_kind(self) -> str:
        return "annee" if self.decides_year or len(self.instances) > 1 else "semestre"

    @property
    def blocked(self) -> bool:
        return bool(self.undecided or self.incomplete or self.unpublished)


@dataclass
class JuryHome:
    every: bool  # the department's choice: every jury member sits for every promotion
    assigned: list[JuryPromotion]
    promotions: list[PromotionTodo]


def jury_home(user) -> JuryHome:
    """The promotions the jury member sits for, and the juries of the open semesters with their blockers."""
    scope = jury_promotions(user)
    every = scope == EVERY and AccessPolicy.objects.filter(jury_every_promotion=True).exists()
    assigned = list(JuryPromotion.objects.filter(user=user).select_related("programme__parcours", "academic_year")
                    .order_by("-academic_year__start_year", "programme__code"))
    if scope == EVERY:
        instances = list(open_instances())
    else:
        wanted = Q(pk__in=[])
        for programme_id, year_id in scope:
            wanted |= Q(semester__programme_id=programme_id, academic_year_id=year_id)
        instances = list(open_instances().filter(wanted))
    return JuryHome(every=every, assigned=assigned, promotions=promotion_todos(instances))


def promotion_todos(instances: list[SemesterInstance]) -> list[PromotionTodo]:
    """Group open instances by promotion and count what holds their jury back (a fixed number of queries)."""
    grouped: dict[tuple, PromotionTodo] = {}
    for instance in sorted(instances, key=lambda i: i.semester.number):
        key = (instance.academic_year_id, instance.semester.programme_id, instance.label, instance.semester.year)
        grouped.setdefault(key, PromotionTodo(instances=[])).instances.append(instance)
    promotions = sorted(grouped.values(), key=lambda p: (-p.first.academic_year.start_year,
                                                         p.first.semester.programme.code, p.first.semester.number))
    if not promotions:
        return []
    ids = [i.pk for i in instances]
    by_instance = {i.pk: p for p in promotions for i in p.instances}
    for session in (JurySession.objects.filter(closed_at__isnull=True, semester_instances__in=ids).distinct()
                    .prefetch_related("semester_instances").order_by("date", "id")):
        for promotion in {id(by_instance[i.pk]): by_instance[i.pk] for i in session.semester_instances.all()
                          if i.pk in by_instance}.values():
            promotion.sessions.append(session)
    for instance_id, items in pending_evaluations(instances=instances).items():
        promotion = by_instance[instance_id]
        promotion.incomplete += sum(p.incomplete for p in items)
        promotion.unpublished += sum(not p.evaluation.is_published for p in items)
    for promotion, count in zip(promotions, _undecided(promotions), strict=True):
        promotion.undecided = count
    return promotions


def _undecided(promotions: list[PromotionTodo]) -> list[int]:
    """Count, per promotion, the students still registered in all its semesters without the decision its jury
    records: the year's (R16) when the promotion holds an even semester, else one on a UE at least (R13)."""
    by_instance = {i.pk: p for p in promotions for i in p.instances}
    registered: dict[int, dict[int, bool]] = defaultdict(dict)  # id(promotion) -> student -> still registered
    enrolment_promotion = {}
    for enrolment_id, student_id, instance_id, status in Enrolment.objects.filter(
            semester_instance_id__in=list(by_instance)).values_list("id", "student_id", "semester_instance_id",
                                                                    "status"):
        promotion = by_instance[instance_id]
        still = registered[id(promotion)].get(student_id, True)
        registered[id(promotion)][student_id] = still and status == EnrolmentStatus.ENROLLED
        enrolment_promotion[enrolment_id] = (promotion, student_id)
    decided: dict[int, set[int]] = defaultdict(set)
    for enrolment_id, level in JuryDecision.objects.filter(
            enrolment_id__in=list(enrolment_promotion), superseded_by__isnull=True).values_list("enrolment_id",
                                                                                               "level").distinct():
        promotion, student_id = enrolment_promotion[enrolment_id]
        if level == (JuryLevel.YEAR if promotion.decides_year else JuryLevel.UE):
            decided[id(promotion)].add(student_id)
    return [sum(1 for s, still in registered[id(p)].items() if still and s not in decided[id(p)])
            for p in promotions]


# ---------------------------------------------------------------- direction


@dataclass
class ProgrammeStates:
    frozen: list[Programme]  # a jury locked one of its semesters: changes go to a new version
    drafts: list[Programme]  # no semester opened on it yet and no newer version: still being prepared


def programme_states() -> ProgrammeStates:
    """The frozen programmes and the drafts (one query); a version replaced by a newer one is neither a draft nor
    to be prepared."""
    locked = SemesterInstance.objects.filter(semester__programme=OuterRef("pk"), is_locked=True)
    opened = SemesterInstance.objects.filter(semester__programme=OuterRef("pk"))
    replaced = Programme.objects.filter(previous_version=OuterRef("pk"))
    programmes = (Programme.objects.select_related("parcours")
                  .annotate(frozen=Exists(locked), opened=Exists(opened), replaced=Exists(replaced))
                  .order_by("iut", "parcours__code", "modality", "first_year", "code"))
    rows = list(programmes)
    return ProgrammeStates(frozen=[p for p in rows if p.frozen],
                           drafts=[p for p in rows if not p.opened and not p.replaced])


def direction_promotions() -> list[PromotionTodo]:
    """Every promotion of the open semesters, with its jury and blockers (Direction decides at juries too)."""
    return promotion_todos(list(open_instances()))


def open_juries() -> list[JurySession]:
    """The juries opened and not closed yet, the soonest first."""
    return list(JurySession.objects.filter(closed_at__isnull=True).prefetch_related(_named_instances())
                .order_by("date", "id"))


def _named_instances():
    return Prefetch("semester_instances", queryset=SemesterInstance.objects.named().order_by("semester__number"))
