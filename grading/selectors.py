"""Reads of the grading app: grids, histories, overviews, live results. A fixed number of queries each."""
import logging
from dataclasses import dataclass, field

from django.db.models import Count, Min, Prefetch, Q

from curriculum.models import UE, Module
from grading.engine import compute
from grading.engine.codes import EnrolmentStatus
from grading.engine.rounding import fmt
from grading.loaders import load_cohort
from grading.models import (
    AuditEntry,
    Enrolment,
    Evaluation,
    Grade,
    GradeChange,
    Group,
    ImportBatch,
    ModuleResponsible,
    SemesterInstance,
)

logger = logging.getLogger(__name__)
STUDENT_LIST_BATCH_PREFIX = "etudiants-{pk}"  # the journal batch key of a student-list import starts so


def enrolments(*, semester_instance: SemesterInstance, group: Group | None = None):
    """Return the enrolments of a semester sorted by name, optionally of one group."""
    qs = (Enrolment.objects.filter(semester_instance=semester_instance)
          .select_related("student", "parcours")
          .prefetch_related(Prefetch("groups", queryset=Group.objects.order_by("kind", "name")))
          .order_by("student__last_name", "student__first_name", "student__ine"))
    if group is not None:
        qs = qs.filter(groups=group)
    return qs


@dataclass
class Cell:
    evaluation: Evaluation
    display: str = ""
    version: int = 0

    @classmethod
    def of(cls, evaluation: Evaluation, grade: Grade | None) -> "Cell":
        return cls(evaluation=evaluation, display=grade.display if grade else "",
                   version=grade.version if grade else 0)


@dataclass
class GridRow:
    enrolment: Enrolment
    cells: list[Cell] = field(default_factory=list)
    averages: list[tuple[str, str | None]] = field(default_factory=list)  # (UE code, shown module average)

    @property
    def cell(self) -> Cell:
        return self.cells[0]


def grid(*, semester_instance: SemesterInstance, evaluations: list[Evaluation], group: Group | None = None
         ) -> list[GridRow]:
    """Return one row per enrolled student with a cell per evaluation (two queries)."""
    rows = [GridRow(enrolment=e) for e in enrolments(semester_instance=semester_instance, group=group)]
    grades = {(g.evaluation_id, g.enrolment_id): g
              for g in Grade.objects.filter(evaluation__in=evaluations,
                                            enrolment__semester_instance=semester_instance)}
    for row in rows:
        row.cells = [Cell.of(evaluation, grades.get((evaluation.pk, row.enrolment.pk))) for evaluation in evaluations]
    return rows


def grid_with_averages(*, semester_instance: SemesterInstance, evaluations: list[Evaluation], module: Module,
                       ue_codes: list[str], group: Group | None = None) -> tuple[list[GridRow], "LiveResults"]:
    """Return the grid rows, each with the engine's average of the module towards each UE, and the results."""
    rows = grid(semester_instance=semester_instance, evaluations=evaluations, group=group)
    live = live_results(semester_instance=semester_instance)
    for row in rows:
        per_ue = live.modules.get(row.enrolment.student_id, {})
        row.averages = [(code, per_ue.get(code, {}).get(module.code)) for code in ue_codes]
    return rows, live


def module_evaluations(*, semester_instance: SemesterInstance, module: Module) -> list[Evaluation]:
    return list(Evaluation.objects.filter(semester_instance=semester_instance, module=module)
                .select_related("module").prefetch_related("weights__ue"))


def evaluations_for_pages():
    """Return the evaluations with what their pages show."""
    return (Evaluation.objects.select_related("module", "semester_instance__semester__programme",
                                              "semester_instance__academic_year")
            .prefetch_related("weights__ue"))


def grade_history(*, evaluation: Evaluation, enrolment: Enrolment):
    return (GradeChange.objects.filter(evaluation=evaluation, enrolment=enrolment)
            .select_related("user", "batch").order_by("-at", "-id"))


def evaluation_imports(*, evaluation: Evaluation):
    return (ImportBatch.objects.filter(evaluation=evaluation).select_related("user", "undone_by")
            .annotate(change_count=Count("changes", filter=Q(changes__source=GradeChange.Source.IMPORT))))


def module_ues(*, module: Module) -> list[UE]:
    """Return the UEs a module feeds, per the programme's coefficient matrix (ModuleUE)."""
    return list(UE.objects.filter(module_rows__module=module).order_by("order", "code"))


@dataclass
class ModuleOverview:
    module: Module
    evaluations: list[Evaluation]
    responsibles: list[ModuleResponsible]
    can_grade: bool = False


def semester_overview(*, semester_instance: SemesterInstance, module_ids: set[int] | None = None
                      ) -> list[ModuleOverview]:
    """Return the semester's modules with their evaluations (and counts of entered grades) and responsibles.

    `module_ids` limits the list (a teacher sees their own modules); None shows them all.
    """
    modules = Module.objects.filter(semester=semester_instance.semester).order_by("order", "code")
    if module_ids is not None:
        modules = modules.filter(pk__in=module_ids)
    evaluations = (Evaluation.objects.filter(semester_instance=semester_instance, module__in=modules)
                   .annotate(entered=Count("grades", filter=(Q(grades__value__isnull=False) | Q(grades__code__gt=""))
                                           & Q(grades__enrolment__status=EnrolmentStatus.ENROLLED))))
    responsibles = (ModuleResponsible.objects.filter(semester_instance=semester_instance, module__in=modules)
                    .select_related("user", "module"))
    by_module: dict[int, ModuleOverview] = {m.pk: ModuleOverview(module=m, evaluations=[], responsibles=[])
                                            for m in modules}
    for evaluation in evaluations:
        by_module[evaluation.module_id].evaluations.append(evaluation)
    for responsible in responsibles:
        by_module[responsible.module_id].responsibles.append(responsible)
    return list(by_module.values())


@dataclass
class StudentModule:
    module: Module
    cells: list[Cell]


def student_grades(*, enrolment: Enrolment) -> list[StudentModule]:
    """Return every evaluation of the enrolment's semester, by module, with the student's grade."""
    evaluations = list(Evaluation.objects.filter(semester_instance_id=enrolment.semester_instance_id)
                       .select_related("module").order_by("module__order", "module__code", "order", "date", "id"))
    grades = {g.evaluation_id: g for g in Grade.objects.filter(enrolment=enrolment)}
    modules: dict[int, StudentModule] = {}
    for evaluation in evaluations:
        item = modules.setdefault(evaluation.module_id, StudentModule(module=evaluation.module, cells=[]))
        item.cells.append(Cell.of(evaluation, grades.get(evaluation.pk)))
    return list(modules.values())


# ---------------------------------------------------------------- live results (engine)


@dataclass
class LiveResults:
    """The engine's averages for one semester instance, shown, never stored."""

    available: bool
    ue_codes: list[str] = field(default_factory=list)
    # student id -> UE code -> (shown average, decision)
    ues: dict[int, dict[str, tuple[str | None, str | None]]] = field(default_factory=dict)
    # student id -> UE code -> module code -> shown module average
    modules: dict[int, dict[str, dict[str, str | None]]] = field(default_factory=dict)
    incomplete: set[int] = field(default_factory=set)  # evaluation ids (R2)
    error: str = ""


ENGINE_FAILED = "Les moyennes n'ont pas pu être calculées : {error}"


def live_results(*, semester_instance: SemesterInstance) -> LiveResults:
    """Compute the semester's module and UE averages with the engine (never stored)."""
    try:
        result = compute(load_cohort(semester_instance=semester_instance))
    except Exception as exc:  # grade entry must go on even if the engine refuses the data: show why, log it
        logger.exception("Engine failed on %s", semester_instance)
        return LiveResults(available=False, error=ENGINE_FAILED.format(error=exc))
    live = LiveResults(available=True)
    codes: dict[str, None] = {}
    for student_id, student in result.students.items():
        for passage in student.passages:
            if passage.run != semester_instance.pk:
                continue
            ues = live.ues.setdefault(student_id, {})
            modules = live.modules.setdefault(student_id, {})
            for code, ue in passage.ues.items():
                codes[code] = None
                ues[code] = (fmt(ue.average), ue.decision)
                modules[code] = {m: fmt(avg) for m, avg in ue.module_averages.items()}
    ordered = list(UE.objects.filter(semester=semester_instance.semester).order_by("order", "code")
                   .values_list("code", flat=True))
    live.ue_codes = [c for c in ordered if c in codes] + [c for c in codes if c not in ordered]
    live.incomplete = set(result.incomplete_evaluations.get(semester_instance.pk, ()))
    return live


def student_list_imports(*, semester_instance: SemesterInstance) -> list[dict]:
    """Return the last student-list imports of a semester (journal batches): key, date, file, counts, undone."""
    prefix = STUDENT_LIST_BATCH_PREFIX.format(pk=semester_instance.pk) + "-"
    return list(AuditEntry.objects.filter(batch__startswith=prefix).values("batch")
                .annotate(at=Min("at"), reason=Min("reason"), user=Min("user__username"),
                          changes=Count("id", filter=Q(source=AuditEntry.Source.IMPORT)),
                          undone=Count("id", filter=Q(source=AuditEntry.Source.UNDO)))
                .order_by("-at")[:20])
