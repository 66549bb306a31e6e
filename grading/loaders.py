"""Build the engine's input from the database in a fixed number of queries, from plain values.

Whatever the number of students, a cohort costs the same queries: the students' enrolments (their whole path),
the size of the semester instances on those paths, the evaluations and weights of those instances, the grades
needed, external validations, the programmes' UEs (and their parcours) and modules (and their coefficients), the
current jury decisions, and for some instances two aggregate counts (see below). Rows are read as tuples
(`values_list`), never as model instances, and turned straight into the engine's types.

R2 (an ordinary evaluation counts once every enrolled student taking its module has a grade) needs the whole
instance. An instance whose every enrolment belongs to the cohort (a semester or year loaded whole) has all its
grades loaded: R2 is counted from them. For any other instance (a page about a few students, an earlier semester
of their path), only the cohort's grades are loaded and R2 comes from aggregate counts (`grading.grade_counts`,
cached per instance version): the cost of a page does not grow with the size of the semester.
"""
from collections import Counter, defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import CharField, Count, Q
from django.db.models.functions import Cast

from curriculum.models import UE, Module, ModuleUE
from grading.attendance_counts import attendance_counts
from grading.engine.codes import BonusMode, EnrolmentStatus, JuryLevel
from grading.engine.compute import cyclic_gc_paused
from grading.engine.scores import modules_taken
from grading.engine.types import (
    AttendanceRule,
    CohortInput,
    EvaluationDef,
    GradeValue,
    ModuleDef,
    Passage,
    PriorValidation,
    SemesterRun,
    StudentInput,
    UEDef,
)
from grading.engine.waiting import r2_complete_from_counts
from grading.grade_counts import R2Counts, instance_counts
from grading.models import (
    AttendanceSettings,
    Enrolment,
    Evaluation,
    EvaluationWeight,
    ExternalValidation,
    Grade,
    JuryDecision,
)

YEAR_SUBJECT = "year"  # the engine's key for a year decision in Passage.jury
ENROLLED = EnrolmentStatus.ENROLLED


def load_cohort(*, semester_instance, bonus_mode: str = BonusMode.PERCENT) -> CohortInput:
    """Return the engine input for every student enrolled in a semester instance, with their whole path."""
    student_ids = Enrolment.objects.filter(semester_instance=semester_instance).values("student_id")
    return load_students(student_ids=student_ids, bonus_mode=bonus_mode)


def load_year(*, semester_instances: Iterable, bonus_mode: str = BonusMode.PERCENT) -> CohortInput:
    """Return the engine input for every student enrolled in any of the given instances (a year's two semesters)."""
    student_ids = Enrolment.objects.filter(semester_instance__in=list(semester_instances)).values("student_id")
    return load_students(student_ids=student_ids, bonus_mode=bonus_mode)


# Enrolment columns, in order (one row per enrolment of the cohort, path order within a student).
ENROLMENT_COLUMNS = (
    "id", "student_id", "semester_instance_id", "status", "parcours__code", "bonus__percent",
    "semester_instance__semester_id", "semester_instance__semester__number",
    "semester_instance__semester__programme_id", "semester_instance__semester__programme__parcours__code",
    "semester_instance__results_version", "semester_instance__academic_year__start_year",
)


def load_students(*, student_ids, bonus_mode: str = BonusMode.PERCENT) -> CohortInput:
    """Return the engine input for the given students (ids or a values('student_id') queryset)."""
    with cyclic_gc_paused():
        return _load_students(student_ids=student_ids, bonus_mode=bonus_mode)


def _load_students(*, student_ids, bonus_mode: str) -> CohortInput:
    rows = list(
        Enrolment.objects.filter(student_id__in=student_ids)
        .order_by("student_id", "semester_instance__academic_year__start_year",
                  "semester_instance__semester__number", "semester_instance__label", "id")
        .values_list(*ENROLMENT_COLUMNS)
    )
    instances = {}  # instance id -> (semester number, semester id, programme id, programme parcours, version)
    cohort_size: Counter = Counter()
    for _, _, instance_id, _, _, _, semester_id, number, programme_id, parcours, version, _ in rows:
        instances[instance_id] = (number, semester_id, programme_id, parcours, version)
        cohort_size[instance_id] += 1
    sizes = dict(Enrolment.objects.filter(semester_instance_id__in=list(instances))
                 .values_list("semester_instance_id").annotate(n=Count("id")).order_by())
    whole = {i for i in instances if sizes.get(i) == cohort_size[i]}  # every enrolment is the cohort's

    evaluations = _load_evaluations(instance_ids=list(instances))
    whole_evaluations = [ev.id for i in whole for ev in evaluations.get(i, ())]
    partial_enrolments = [row[0] for row in rows if row[2] not in whole]
    grades, not_entered = _load_grades(evaluation_ids=whole_evaluations, enrolment_ids=partial_enrolments,
                                       enrolment_ids_all=[row[0] for row in rows])

    validations = list(ExternalValidation.objects.filter(student_id__in=student_ids)
                       .values_list("student_id", "ue_id", "ue__code", "code", "average"))
    ues = _load_ues(programme_ids={i[2] for i in instances.values()}, extra_ue_ids={v[1] for v in validations})
    modules = _load_modules(semester_ids={i[1] for i in instances.values()})
    decisions = defaultdict(dict)
    for enrolment_id, level, subject, code in (
        JuryDecision.objects.filter(Q(enrolment__semester_instance_id__in=list(whole))
                                    | Q(enrolment_id__in=partial_enrolments), superseded_by__isnull=True)
        .order_by("at", "id").values_list("enrolment_id", "level", "subject", "code")
    ):
        decisions[enrolment_id][YEAR_SUBJECT if level == JuryLevel.YEAR else subject] = code

    taken = _ModulesTaken(modules, ues)
    counts = instance_counts({i: (instances[i][4], instances[i][3]) for i in instances if i not in whole})
    by_instance = _group(rows, key=lambda row: row[2])
    counts.update({i: _count_whole(by_instance[i], grades, not_entered, evaluations.get(i, ())) for i in whole})
    runs = {}
    for instance_id, members in by_instance.items():
        enrolled = {row[1]: row[4] or row[9] for row in members if row[3] == ENROLLED}
        runs[instance_id] = SemesterRun(
            key=instance_id,
            semester=instances[instance_id][0],
            evaluations=tuple(evaluations.get(instance_id, ())),
            grades={row[1]: grades[row[0]] for row in members if grades[row[0]]},
            enrolled=frozenset(enrolled),
            enrolled_parcours=enrolled,
            complete=r2_complete_from_counts(evaluations.get(instance_id, ()), counts[instance_id].enrolled,
                                             counts[instance_id].entered, taken),
        )

    prior = defaultdict(dict)
    for student_id, _, ue_code, code, average in validations:
        prior[student_id][ue_code] = PriorValidation(code=code, average=average)

    rule, absences = _attendance(enrolment_ids=[row[0] for row in rows])
    students = []
    for student_id, path in _group(rows, key=lambda row: row[1]).items():
        last = path[-1]
        students.append(StudentInput(
            id=student_id,
            parcours=last[4] or last[9],
            status=last[3],
            prior=prior.get(student_id, {}),
            passages=tuple(Passage(run=row[2], semester=row[7], bonus=row[5], jury=decisions.get(row[0], {}),
                                   label=f"{row[11]}-{row[11] + 1}", unjustified_half_days=absences.get(row[0], 0),
                                   status=row[3])
                           for row in path),
        ))
    return CohortInput(ues=ues, modules=modules, runs=runs, students=tuple(students), bonus_mode=bonus_mode,
                       attendance=rule)


def _attendance(*, enrolment_ids) -> tuple[AttendanceRule | None, dict[int, int]]:
    """Return the department's R20 rule and each enrolment's unjustified half-days, when the rule is on (one query
    when it is off)."""
    settings = AttendanceSettings.current()
    if not settings.penalty_enabled:
        return None, {}
    counts = attendance_counts(enrolment_ids=enrolment_ids, settings=settings)
    return (AttendanceRule(threshold=settings.penalty_threshold, points=settings.penalty_points),
            {pk: count.unjustified for pk, count in counts.items() if count.unjustified})


def _load_evaluations(*, instance_ids) -> dict[int, list[EvaluationDef]]:
    """Return the evaluations of the instances, in the engine's order, with their weights (two queries)."""
    weights = defaultdict(dict)
    for evaluation_id, ue_code, weight in EvaluationWeight.objects.filter(
        evaluation__semester_instance_id__in=instance_ids
    ).values_list("evaluation_id", "ue__code", "weight"):
        weights[evaluation_id][ue_code] = weight
    evaluations = defaultdict(list)
    for ev_id, instance_id, module, coef, maximum, immediate, rattrapage in (
        Evaluation.objects.filter(semester_instance_id__in=instance_ids)
        .order_by("semester_instance_id", "module__code", "order", "date", "id")
        .values_list("id", "semester_instance_id", "module__code", "coefficient", "max_score", "is_immediate",
                     "is_rattrapage")
    ):
        evaluations[instance_id].append(EvaluationDef(id=ev_id, module=module, coef=coef, max=maximum,
                                                      weights=weights.get(ev_id, {}), immediate=immediate,
                                                      rattrapage=rattrapage))
    return evaluations


def _load_grades(*, evaluation_ids, enrolment_ids, enrolment_ids_all) -> tuple[dict[int, dict], set[int]]:
    """Return enrolment id -> evaluation id -> grade, for every grade of the given evaluations (whole instances)
    and the given enrolments' grades (the others), in one query; and the enrolments holding a grade row with
    neither a number nor a code.

    Equal grades share one GradeValue: a cohort holds a few hundred distinct values, not one object per grade. The
    value is read as text (the database's own decimal digits), so that a Decimal is built once per distinct value.
    """
    grades = {e: {} for e in enrolment_ids_all}
    interned = {}
    for evaluation_id, enrolment_id, text, code in (
        Grade.objects.filter(Q(evaluation_id__in=evaluation_ids) | Q(enrolment_id__in=enrolment_ids))
        .annotate(text=Cast("value", CharField())).values_list("evaluation_id", "enrolment_id", "text", "code")
    ):
        grade = interned.get(text or code)  # a number's digits, a code, or "" (neither)
        if grade is None:
            grade = interned[text or code] = GradeValue(value=None if text is None else Decimal(text),
                                                        code=code or None)
        grades[enrolment_id][evaluation_id] = grade
    empty = interned.get("")
    not_entered = set() if empty is None else {e for e, own in grades.items()
                                                if any(grade is empty for grade in own.values())}
    return grades, not_entered


def _count_whole(members, grades: dict, not_entered: set, evaluations) -> R2Counts:
    """Count R2 for an instance loaded whole, from its grades: per parcours, the enrolled students, and per
    evaluation how many of them have a grade entered (a student with every grade entered costs no loop)."""
    enrolled: Counter = Counter()
    short = defaultdict(Counter)  # evaluation id -> parcours -> enrolled students without a grade entered
    for enrolment_id, _, _, status, parcours, *_, programme_parcours, _, _ in members:
        if status != ENROLLED:
            continue
        parcours = parcours or programme_parcours
        enrolled[parcours] += 1
        own = grades[enrolment_id]
        if len(own) == len(evaluations) and enrolment_id not in not_entered:
            continue
        for ev in evaluations:
            grade = own.get(ev.id)
            if grade is None or (grade.value is None and not grade.code):
                short[ev.id][parcours] += 1
    return R2Counts(enrolled=dict(enrolled),
                    entered={ev.id: {p: n - short[ev.id][p] for p, n in enrolled.items()} for ev in evaluations})


class _ModulesTaken:
    """The modules a parcours takes (R2 waits only for students taking the module), computed once per parcours."""

    def __init__(self, modules, ues):
        self.modules, self.ues, self.known = modules, ues, {}

    def __call__(self, parcours):
        if parcours not in self.known:
            self.known[parcours] = modules_taken(self.modules, self.ues, parcours)
        return self.known[parcours]


def _load_ues(*, programme_ids, extra_ue_ids) -> dict[str, UEDef]:
    selected = UE.objects.filter(Q(semester__programme_id__in=programme_ids) | Q(id__in=extra_ue_ids))
    parcours = defaultdict(set)
    for ue_id, code in UE.parcours.through.objects.filter(ue__in=selected).values_list("ue_id", "parcours__code"):
        parcours[ue_id].add(code)
    ues = {}
    for ue_id, code, semester, competence, level, ects, rcue_coef in (
        selected.order_by("semester__number", "order", "code")
        .values_list("id", "code", "semester__number", "competence_level__competence__code",
                     "competence_level__level", "ects", "rcue_coefficient")
    ):
        if code not in ues:
            ues[code] = UEDef(code=code, semester=semester, competence=competence, level=level, ects=ects,
                              rcue_coef=rcue_coef, parcours=frozenset(parcours[ue_id]))
    return ues


def _load_modules(*, semester_ids) -> dict[str, ModuleDef]:
    coefficients = defaultdict(dict)
    # A coefficient the source does not give (None) cannot weigh in an average (R4).
    for module_id, ue_code, coefficient in ModuleUE.objects.filter(
        module__semester_id__in=semester_ids, coefficient__isnull=False
    ).values_list("module_id", "ue__code", "coefficient"):
        coefficients[module_id][ue_code] = coefficient
    modules = {}
    for module_id, code, semester, kind in (
        Module.objects.filter(semester_id__in=semester_ids).order_by("semester__number", "code")
        .values_list("id", "code", "semester__number", "kind")
    ):
        if code not in modules:
            modules[code] = ModuleDef(code=code, semester=semester, kind=kind,
                                      coefficients=coefficients.get(module_id, {}))
    return modules


def _group(items, *, key) -> dict:
    grouped = {}
    for item in items:
        grouped.setdefault(key(item), []).append(item)
    return grouped
