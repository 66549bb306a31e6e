"""Reads behind the grade-entry pages: enrolments, grids, histories, a semester's overview, its groups, module
responsibles and modules. A fixed number of queries each; the live averages a grid shows come from
`grading.selectors.live_results`.
"""
from dataclasses import dataclass, field

from django.db.models import Count, Min, Prefetch, Q
from django.urls import reverse

from curriculum.models import UE, Module
from grading.engine.codes import EnrolmentStatus
from grading.grade_counts import instance_counts
from grading.grade_text import grade_display
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
from grading.models.semesters import name_related
from grading.selectors.live_results import LiveResults, live_results, module_averages

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


HISTORY_PLACEHOLDER = 987654321  # an enrolment id in a reversed URL, replaced by each row's


@dataclass
class Cell:
    evaluation: Evaluation
    display: str = ""
    version: int = 0
    history_url: str = ""

    @classmethod
    def of(cls, evaluation: Evaluation, grade: Grade | None) -> "Cell":
        return cls(evaluation=evaluation, display=grade.display if grade else "",
                   version=grade.version if grade else 0)


@dataclass
class GridRow:
    enrolment: Enrolment
    cells: list[Cell] = field(default_factory=list)
    averages: list[tuple[str, str | None]] = field(default_factory=list)  # (UE code, shown module average)
    # What the row shows of its enrolment, read once here rather than through lookups in every cell of the template.
    pk: int = 0
    name: str = ""
    ine: str = ""
    groups: str = ""
    status: str = ""  # the status label, unless enrolled

    @classmethod
    def of(cls, enrolment: Enrolment) -> "GridRow":
        return cls(enrolment=enrolment, pk=enrolment.pk, name=str(enrolment.student), ine=enrolment.student.ine,
                   groups=", ".join(g.name for g in enrolment.groups.all()),
                   status=EnrolmentStatus.left_label(enrolment.status))

    @property
    def cell(self) -> Cell:
        return self.cells[0]


def grid(*, semester_instance: SemesterInstance, evaluations: list[Evaluation], group: Group | None = None
         ) -> list[GridRow]:
    """Return one row per enrolled student with a cell per evaluation (three queries: enrolments, their groups,
    grades; a group's grid reads its own students' grades only)."""
    rows = [GridRow.of(e) for e in enrolments(semester_instance=semester_instance, group=group)]
    shown = Grade.objects.filter(evaluation__in=evaluations)
    shown = (shown.filter(enrolment__in=[row.enrolment.pk for row in rows]) if group is not None
             else shown.filter(enrolment__semester_instance=semester_instance))
    grades = {(evaluation_id, enrolment_id): (grade_display(value=value, code=code), version)
              for evaluation_id, enrolment_id, value, code, version
              in shown.values_list("evaluation_id", "enrolment_id", "value", "code", "version")}
    history = {evaluation.pk: _history_prefix(evaluation) for evaluation in evaluations}
    for row in rows:
        pk = row.enrolment.pk
        row.cells = [Cell(evaluation, *grades.get((evaluation.pk, pk), ("", 0)), f"{history[evaluation.pk]}{pk}/")
                     for evaluation in evaluations]
    return rows


def _history_prefix(evaluation: Evaluation) -> str:
    """Return the URL of the evaluation's grade history up to the enrolment id (one reverse per column, not one
    per cell: a 200-row grid would spend more on URLs than on its grades)."""
    url = reverse("grading:grade_history", args=[evaluation.pk, HISTORY_PLACEHOLDER])
    return url[:url.rindex(f"{HISTORY_PLACEHOLDER}/")]  # the route ends with the enrolment id and a slash


def grid_with_averages(*, semester_instance: SemesterInstance, evaluations: list[Evaluation], module: Module,
                       ue_codes: list[str], group: Group | None = None) -> tuple[list[GridRow], LiveResults]:
    """Return the grid rows, each with the engine's average of the module towards each UE, and the results of the
    students shown (only them: a group's grid computes the group)."""
    rows = grid(semester_instance=semester_instance, evaluations=evaluations, group=group)
    shown = None if group is None else [row.enrolment.student_id for row in rows]  # everyone: the cached results
    live = live_results(semester_instance=semester_instance, student_ids=shown, averages_only=True)
    for row in rows:
        row.averages = module_averages(live=live, student_id=row.enrolment.student_id, module_code=module.code,
                                       ue_codes=ue_codes)
    return rows, live


@dataclass
class GridAverages:
    """What a grid refreshes after a save: averages by enrolment id, then UE code; R2's incomplete evaluations."""

    available: bool
    rows: dict[int, dict[str, str | None]] = field(default_factory=dict)
    incomplete: list[int] = field(default_factory=list)
    error: str = ""


def grid_averages(*, semester_instance: SemesterInstance, module: Module, group: Group | None = None,
                  enrolment_id: int | None = None) -> GridAverages:
    """Return the module's averages towards its UEs for one enrolment of the semester, or for every row of the
    grid (a group's or everyone's) when `enrolment_id` is None."""
    rows = enrolments(semester_instance=semester_instance, group=group).values_list("pk", "student_id")
    if enrolment_id is not None:
        rows = rows.filter(pk=enrolment_id)
    rows = list(rows)
    everyone = group is None and enrolment_id is None
    live = live_results(semester_instance=semester_instance,
                        student_ids=None if everyone else [student for _, student in rows], averages_only=True)
    ue_codes = [ue.code for ue in module_ues(module=module)]
    return GridAverages(
        available=live.available, error=live.error, incomplete=sorted(live.incomplete),
        rows={pk: dict(module_averages(live=live, student_id=student, module_code=module.code, ue_codes=ue_codes))
              for pk, student in rows})


def module_evaluations(*, semester_instance: SemesterInstance, module: Module) -> list[Evaluation]:
    return list(Evaluation.objects.filter(semester_instance=semester_instance, module=module)
                .select_related("module").prefetch_related("weights__ue"))


def evaluations_for_pages():
    """Return the evaluations with what their pages show."""
    return (Evaluation.objects.select_related("module", *name_related("semester_instance"))
            .prefetch_related("weights__ue"))


def grade_history(*, evaluation: Evaluation, enrolment: Enrolment):
    return (GradeChange.objects.filter(evaluation=evaluation, enrolment=enrolment)
            .select_related("user", "batch").order_by("-at", "-id"))


def evaluation_imports(*, evaluation: Evaluation):
    return (ImportBatch.objects.filter(evaluation=evaluation).select_related("user", "undone_by")
            .annotate(change_count=Count("changes", filter=Q(changes__source=GradeChange.Source.IMPORT))))


def ue_titles(*, semester_instance: SemesterInstance) -> dict[str, str]:
    """Return the title of each UE of the semester, by code (column headers and tooltips)."""
    return dict(UE.objects.filter(semester_id=semester_instance.semester_id).values_list("code", "title"))


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

    `module_ids` limits the list (a teacher sees their own modules); None shows them all. The counts of grades
    entered (by registered students) are R2's, cached per results version (`grading.grade_counts`): the page reads
    no grade while nothing changed. `semester_instance` comes with its programme's parcours (`instance_or_404`).
    """
    modules = Module.objects.filter(semester=semester_instance.semester).order_by("order", "code")
    if module_ids is not None:
        modules = modules.filter(pk__in=module_ids)
    evaluations = Evaluation.objects.filter(semester_instance=semester_instance, module__in=modules)
    counts = instance_counts({semester_instance.pk: (semester_instance.results_version,
                                                     semester_instance.semester.programme.parcours.code)})
    entered = counts[semester_instance.pk].entered
    responsibles = (ModuleResponsible.objects.filter(semester_instance=semester_instance, module__in=modules)
                    .select_related("user", "module"))
    by_module: dict[int, ModuleOverview] = {m.pk: ModuleOverview(module=m, evaluations=[], responsibles=[])
                                            for m in modules}
    for evaluation in evaluations:
        evaluation.entered = sum(entered.get(evaluation.pk, {}).values())
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


def student_list_imports(*, semester_instance: SemesterInstance) -> list[dict]:
    """Return the last student-list imports of a semester (journal batches): key, date, file, counts, undone."""
    prefix = STUDENT_LIST_BATCH_PREFIX.format(pk=semester_instance.pk) + "-"
    return list(AuditEntry.objects.filter(batch__startswith=prefix).values("batch")
                .annotate(at=Min("at"), reason=Min("reason"), user=Min("user__username"),
                          changes=Count("id", filter=Q(source=AuditEntry.Source.IMPORT)),
                          undone=Count("id", filter=Q(source=AuditEntry.Source.UNDO)))
                .order_by("-at")[:20])


def enrolments_by_id(*, ids) -> dict[int, Enrolment]:
    """Return the enrolments with these ids, with their students, by id."""
    return {e.pk: e for e in Enrolment.objects.filter(pk__in=ids).select_related("student")}


def groups_with_sizes(*, semester_instance: SemesterInstance):
    """Return the semester's groups, each with its number of students (`size`)."""
    return Group.objects.filter(semester_instance=semester_instance).annotate(size=Count("enrolments"))


def module_responsibles(*, semester_instance: SemesterInstance):
    """Return the semester's module responsibles, with their module and user, in module order."""
    return (ModuleResponsible.objects.filter(semester_instance=semester_instance)
            .select_related("module", "user").order_by("module__order", "module__code"))


def lock_history(*, semester_instance: SemesterInstance, shown: int = 5):
    """Return the latest locks and unlocks of a semester (R19), with who made them."""
    return list(semester_instance.lock_events.select_related("user")[:shown])


def semester_modules(*, semester_instance: SemesterInstance, module_ids: set[int] | None = None):
    """Return the semester's modules in order: all of them, or those among `module_ids`."""
    modules = Module.objects.filter(semester=semester_instance.semester).order_by("order", "code")
    return modules if module_ids is None else modules.filter(pk__in=module_ids)
