"""A student's jury sheet: every figure behind the proposal, the engine's explanation, the decisions' history.

Once the jury is closed, the figures are its record's (R19: UE, module and RCUE averages and codes, ECTS, the
proposal), never recomputed; the explanation and the decisions' history stay beside them.
"""
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from curriculum.models import ModuleUE
from grading.engine.codes import JuryLevel
from grading.engine.rounding import fmt
from grading.loaders import load_students
from grading.models import Enrolment, JuryDecision, Student
from jury.cells import Cell, rcue_cell, ue_cell
from jury.figures import as_of_scope, run_engine
from jury.history import decisions_of
from jury.records import recorded_cell, recorded_row
from jury.report import STATUS_LABELS
from jury.scope import Scope, sessions_of
from jury.subjects import Subjects, enrolment_parcours, subjects_for


@dataclass
class ModuleLine:
    code: str
    title: str
    coefficient: Decimal | None
    average: str | None


@dataclass
class UELine:
    code: str
    semester: int
    cell: Cell
    average_before_bonus: str | None
    modules: list[ModuleLine] = field(default_factory=list)


@dataclass
class RCUELine:
    key: str
    competence: str
    ues: tuple[str, ...]
    cell: Cell


@dataclass
class Sheet:
    scope: Scope
    student: Student
    enrolments: list[Enrolment]
    parcours: str
    ues: list[UELine]
    earlier: list[UELine]  # UEs of earlier semesters: capitalised, validated or not (R11)
    rcues: list[RCUELine]
    repeats: int
    may_enter_odd: bool | None
    may_enter_s5: bool | None
    proposal: str | None
    recorded: JuryDecision | None
    explain: list[str]
    explain_groups: list  # [(year heading, [(semester heading, [sentences])])], the latest year first
    history: list[JuryDecision]
    current_ids: set[int]
    ects_year: Decimal
    ects_total: Decimal
    subjects: Subjects
    recorded_at: object = None  # when the closed jury's record these figures come from was written (None: live)

    @property
    def enrolment(self) -> Enrolment:
        """The enrolment the jury's decisions are recorded on: the latest one in the scope."""
        return self.enrolments[-1]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.enrolment.status, self.enrolment.status)


def student_sheet(*, scope: Scope, student: Student) -> Sheet | None:
    """Return the jury sheet of one student of the scope (None when not enrolled in it)."""
    enrolments = list(Enrolment.objects.filter(semester_instance_id__in=scope.ids, student=student)
                      .select_related("parcours", "semester_instance__semester__programme__parcours")
                      .order_by("semester_instance__semester__number"))
    if not enrolments:
        return None
    cohort = as_of_scope(load_students(student_ids=[student.pk]), scope, {student.pk: enrolments[-1].status})
    result = run_engine(cohort, explain=True).students[student.pk]
    (student_input,) = cohort.students
    year_numbers = {2 * scope.year - 1, 2 * scope.year}
    subjects = subjects_for(enrolments[-1])
    competences = {ue.competence_level.rcue_key: ue.competence_level.competence.name
                   for ue in subjects.ues.values()}
    modules = _module_rows(scope, result.ues)
    lines = {code: UELine(code=code, semester=ue.semester, cell=ue_cell(ue),
                          average_before_bonus=fmt(ue.average_before_bonus),
                          modules=[ModuleLine(code=m, title=modules.get((code, m), ("", None))[0],
                                              coefficient=modules.get((code, m), ("", None))[1], average=fmt(avg))
                                   for m, avg in sorted(ue.module_averages.items())])
             for code, ue in result.ues.items()}
    first = min(scope.numbers)
    history = decisions_of(enrolments=enrolments)
    superseded = {d.supersedes_id for d in history if d.supersedes_id}
    current_ids = {d.pk for d in history if d.pk not in superseded}
    recorded = next((d for d in history if d.level == JuryLevel.YEAR and d.pk in current_ids), None)
    return _as_recorded(Sheet(
        scope=scope, student=student, enrolments=enrolments, parcours=enrolment_parcours(enrolments[-1]),
        ues=sorted((line for line in lines.values() if line.semester in scope.numbers),
                   key=lambda u: (u.semester, u.code)),
        earlier=sorted((line for line in lines.values() if line.semester < first), key=lambda u: (u.semester, u.code)),
        rcues=[RCUELine(key=key, competence=competences.get(key, key), ues=r.ues, cell=rcue_cell(r))
               for key, r in sorted(result.rcues.items()) if r.year == scope.year],
        repeats=sum(n - 1 for n in Counter(p.semester for p in student_input.passages).values()),
        may_enter_odd=result.may_enter_odd.get(scope.year), may_enter_s5=result.may_enter_s5,
        proposal=result.year_proposals.get(scope.year) if scope.decides_year else None,
        recorded=recorded, explain=list(result.explain), explain_groups=result.explain_groups, history=history,
        current_ids=current_ids,
        ects_year=sum((ue.ects for ue in result.ues.values() if ue.semester in year_numbers), Decimal(0)),
        ects_total=result.ects, subjects=subjects,
    ))


def _as_recorded(sheet: Sheet) -> Sheet:
    """Put a closed jury's recorded figures on the sheet, in place of the live ones (R19)."""
    sessions = sessions_of(sheet.scope)
    row = recorded_row(sessions[0], sheet.student.pk) if sessions else None
    if row is None:
        return sheet
    ues = {u["code"]: u for u in row.figures.get("ues", [])}
    for line in sheet.ues + sheet.earlier:
        ue = ues.get(line.code)
        if ue is None:
            continue
        if line.cell.average != ue["average"]:  # the live figure before bonus belongs to another average
            line.average_before_bonus = None
        line.cell = recorded_cell(ue)
        modules = dict(ue.get("modules", []))
        for module in line.modules:
            module.average = modules.get(module.code, module.average)
    rcues = {r["key"]: r for r in row.figures.get("rcues", [])}
    for line in sheet.rcues:
        if line.key in rcues:
            line.cell, line.competence = recorded_cell(rcues[line.key]), rcues[line.key]["competence"]
    sheet.ects_year, sheet.ects_total = row.ects_year, row.ects_total
    sheet.proposal = (row.proposal or None) if sheet.scope.decides_year else sheet.proposal
    sheet.recorded_at = row.record.closed_at
    return sheet


def _module_rows(scope: Scope, ues) -> dict[tuple[str, str], tuple[str, Decimal | None]]:
    """Return (UE code, module code) -> (module title, coefficient) for the scope's programme (R4)."""
    rows = (ModuleUE.objects.filter(ue__semester__programme_id=scope.programme.pk, ue__code__in=list(ues))
            .values_list("ue__code", "module__code", "module__title", "coefficient"))
    return {(ue, module): (title, coefficient) for ue, module, title, coefficient in rows}
