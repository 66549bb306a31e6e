"""A student's jury sheet: every figure behind the proposal, the engine's explanation, the decisions' history.

Once the jury is closed, the figures are its record's (R19: UE, module and RCUE averages and codes, ECTS, the
proposal), never recomputed; the explanation and the decisions' history stay beside them.
"""
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from butgmp.formats import french_number, french_numbers_in
from curriculum.models import ModuleUE
from grading.attendance_counts import AttendanceCount, attendance_counts
from grading.engine.codes import GradeCode, JuryLevel
from grading.engine.rounding import fmt
from grading.loaders import load_students
from grading.models import Enrolment, Evaluation, Grade, JuryDecision, Student
from grading.selectors.missing import instance_missing
from jury.attendance import total
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

    @property
    def module_codes(self) -> list[str]:
        return [m.code for m in self.modules]


@dataclass
class RCUELine:
    key: str
    competence: str
    ues: tuple[str, ...]
    cell: Cell


@dataclass
class Awaited:
    """An evaluation the student's decision waits for: a grade ATT (R1), a grade missing (R2), or an evaluation
    still incomplete for others that counts for nobody yet (R2)."""

    evaluation: Evaluation
    why: str
    link: str = ""  # set by the view for staff who may open it

    @property
    def date_text(self) -> str:
        return f"{self.evaluation.date:%d/%m/%Y}" if self.evaluation.date else "sans date"


AWAITED_ATT = "note ATT (en attente)"
AWAITED_MISSING = "note manquante"
AWAITED_INCOMPLETE = "évaluation incomplète : {count} note(s) manquante(s) d'autres étudiants"


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
    awaited: list[Awaited] = field(default_factory=list)
    recorded_at: object = None  # when the closed jury's record these figures come from was written (None: live)

    @property
    def enrolment(self) -> Enrolment:
        """The enrolment the jury's decisions are recorded on: the latest one in the scope."""
        return self.enrolments[-1]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.enrolment.status, self.enrolment.status)

    @cached_property
    def absences(self) -> AttendanceCount:
        """Half-days absent over the scope's semesters (jury.attendance)."""
        counts = attendance_counts(enrolment_ids=[e.pk for e in self.enrolments])
        return total(counts.values())


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
                          average_before_bonus=french_number(fmt(ue.average_before_bonus)),
                          modules=[ModuleLine(code=m, title=modules.get((code, m), ("", None))[0],
                                              coefficient=modules.get((code, m), ("", None))[1],
                                              average=french_number(fmt(avg)))
                                   for m, avg in sorted(ue.module_averages.items())])
             for code, ue in result.ues.items()}
    first = min(scope.numbers)
    history = decisions_of(enrolments=enrolments)
    # in force: superseded by no later decision, wherever that one was recorded (R19: another enrolment of the year)
    current_ids = set(JuryDecision.objects.filter(pk__in=[d.pk for d in history], superseded_by__isnull=True)
                      .values_list("pk", flat=True))
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
        recorded=recorded, explain=[french_numbers_in(line) for line in result.explain],
        explain_groups=_french_groups(result.explain_groups), history=history,
        current_ids=current_ids,
        ects_year=sum((ue.ects for ue in result.ues.values() if ue.semester in year_numbers), Decimal(0)),
        ects_total=result.ects, subjects=subjects,
        awaited=awaited_evaluations(scope=scope, student=student, enrolments=enrolments,
                                    modules={m for line in lines.values() for m in line.module_codes}),
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
            module.average = french_number(modules[module.code]) if module.code in modules else module.average
    rcues = {r["key"]: r for r in row.figures.get("rcues", [])}
    for line in sheet.rcues:
        if line.key in rcues:
            line.cell, line.competence = recorded_cell(rcues[line.key]), rcues[line.key]["competence"]
    sheet.ects_year, sheet.ects_total = row.ects_year, row.ects_total
    sheet.proposal = (row.proposal or None) if sheet.scope.decides_year else sheet.proposal
    sheet.recorded_at = row.record.closed_at
    return sheet


def awaited_evaluations(*, scope: Scope, student: Student, enrolments: list[Enrolment], modules: set[str]
                        ) -> list[Awaited]:
    """Return the evaluations of the scope the student's decision waits for, by semester, module and date."""
    ids = [e.pk for e in enrolments]
    found: dict[int, str] = {grade_evaluation: AWAITED_ATT for grade_evaluation in Grade.objects.filter(
        enrolment_id__in=ids, code=GradeCode.ATT).values_list("evaluation_id", flat=True)}
    counts: dict[int, int] = {}
    for enrolment in enrolments:
        incomplete = instance_missing(semester_instance=enrolment.semester_instance).incomplete
        for evaluation_id, waiting in incomplete.items():
            if student.pk in waiting:
                found.setdefault(evaluation_id, AWAITED_MISSING)
            else:
                counts[evaluation_id] = len(waiting)
    evaluations = (Evaluation.objects.filter(pk__in=set(found) | set(counts), semester_instance_id__in=scope.ids)
                   .select_related("module", "semester_instance__semester")
                   .order_by("semester_instance__semester__number", "module__code", "date", "order", "pk"))
    awaited = []
    for evaluation in evaluations:
        if evaluation.pk in found:
            awaited.append(Awaited(evaluation=evaluation, why=found[evaluation.pk]))
        elif evaluation.module.code in modules:  # incomplete for others, in a module the student takes
            awaited.append(Awaited(evaluation=evaluation, why=AWAITED_INCOMPLETE.format(count=counts[evaluation.pk])))
    return awaited


def _french_groups(groups) -> list:
    """The engine's explanation, every number with a decimal comma (the engine writes points)."""
    return [(heading, [(part, [french_numbers_in(line) for line in lines]) for part, lines in parts])
            for heading, parts in groups]


def _module_rows(scope: Scope, ues) -> dict[tuple[str, str], tuple[str, Decimal | None]]:
    """Return (UE code, module code) -> (module title, coefficient) for the scope's programme (R4)."""
    rows = (ModuleUE.objects.filter(ue__semester__programme_id=scope.programme.pk, ue__code__in=list(ues))
            .values_list("ue__code", "module__code", "module__title", "coefficient"))
    return {(ue, module): (title, coefficient) for ue, module, title, coefficient in rows}
