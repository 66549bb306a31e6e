"""The jury report (R13–R16): one row per student of a scope, every figure from the engine.

`jury_report(scope)` takes the engine's figures as of this jury (`jury.figures`: each path cut after the
scope's semesters, so a later year never leaks into an earlier jury; cached per results versions) and shapes the
rows: UE and RCUE averages and codes, ECTS, the proposal, the decision recorded, and what the jury should look at.
A fixed number of queries whatever the promotion's size.
"""
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from butgmp.formats import format_decimal
from curriculum.models import UE
from grading.attendance_counts import AttendanceCount
from grading.engine.codes import EnrolmentStatus, JuryLevel
from grading.models import Enrolment, ExternalValidation, JuryDecision, Student
from grading.selectors.missing import IncompleteEvaluation, incomplete_evaluations
from jury.attendance import absences_text, attach_absences
from jury.cells import NO_AVERAGE_SORT, Cell
from jury.figures import StudentFigures, scope_figures
from jury.scope import Scope

STATUS_LABELS = dict(EnrolmentStatus.choices())

BLOCK_ATT = "note ATT"
BLOCK_INCOMPLETE = "évaluation incomplète"
BLOCK_RCUE = "RCUE sans moyenne : {keys}"
BLOCK_NO_PROPOSAL = "pas de proposition"
BLOCK_NO_CODE = "UE sans code : {codes}"
REVIEW_REPEAT = "redoublant"
REVIEW_DIFFERS = "décision ≠ proposition"


@dataclass(frozen=True)
class UEColumn:
    code: str
    semester: int
    title: str


@dataclass(frozen=True)
class RCUEColumn:
    key: str
    competence: str  # the competence's name, for the header


@dataclass
class ReportRow:
    student: Student
    enrolment: Enrolment  # the latest enrolment in the scope (status, parcours)
    enrolments: list[Enrolment]
    parcours: str
    groups: str
    ues: dict[str, Cell] = field(default_factory=dict)
    rcues: dict[str, Cell] = field(default_factory=dict)
    ects_year: Decimal = Decimal(0)
    ects_total: Decimal = Decimal(0)
    proposal: str | None = None
    recorded: str | None = None  # the year decision in force (R16), or None
    dut: bool = False  # R18: the DUT within reach, as the engine found it (a closed jury: as recorded)
    but: bool = False  # R18: the BUT within reach
    recorded_ues: dict[str, str] = field(default_factory=dict)  # UE/RCUE subject -> code in force
    year_reason: str = ""  # the jury's reason for its year decision (a closed jury's record: what is awaited)
    blockers: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    ue_list: list[Cell | None] = field(default_factory=list)  # aligned with the report's columns (table)
    rcue_list: list[Cell | None] = field(default_factory=list)
    # what the table shows of each, UEs then RCUEs: plain dicts, the template's cheapest lookups (a report of
    # 200 students writes 3 000 cells)
    shown: list[dict | None] = field(default_factory=list)
    origins: dict[str, str] = field(default_factory=dict)  # capitalised UE code -> where it comes from, its year

    @property
    def differs(self) -> bool:
        """The jury recorded another year decision than the proposal (R16): the row is highlighted."""
        return bool(self.recorded and self.proposal and self.recorded != self.proposal)
    absences: AttendanceCount | None = None  # half-days absent over the scope (jury.attendance)

    @property
    def status(self) -> str:
        return self.enrolment.status

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def has_left(self) -> bool:
        """DEM, DEF, ABAN: shown with their status, they block nothing (R2)."""
        return self.status != EnrolmentStatus.ENROLLED

    @property
    def is_repeat(self) -> bool:
        return any(e.is_repeat for e in self.enrolments)

    @property
    def sort_name(self) -> tuple:
        return (self.student.last_name.lower(), self.student.first_name.lower(), self.student.ine)

    @property
    def shown_decision(self) -> str:
        return self.recorded or self.proposal or ""

    @property
    def ects_year_text(self) -> str:
        return format_decimal(self.ects_year)

    @property
    def ects_total_text(self) -> str:
        return format_decimal(self.ects_total)

    @property
    def to_review(self) -> bool:
        return bool(self.review)

    @property
    def ue_sort(self) -> list[Decimal]:
        return [c.sort_key if c else NO_AVERAGE_SORT for c in self.ue_list]

    @property
    def rcue_sort(self) -> list[Decimal]:
        return [c.sort_key if c else NO_AVERAGE_SORT for c in self.rcue_list]

    @property
    def proposal_sort(self) -> str:
        return self.proposal or ""

    @property
    def recorded_sort(self) -> str:
        return self.recorded or ""

    @property
    def absences_text(self) -> str:
        return absences_text(self.absences)

    @property
    def absences_sort(self) -> int:
        return self.absences.unjustified if self.absences else -1

    @property
    def review_sort(self) -> int:
        return len(self.review)


@dataclass
class Report:
    scope: Scope
    ue_columns: list[UEColumn]
    rcue_columns: list[RCUEColumn]
    rows: list[ReportRow]
    incomplete: list[IncompleteEvaluation]

    @property
    def proposal_counts(self) -> list[tuple[str, int]]:
        if self.scope.decides_year:
            return sorted(Counter(r.proposal or "ATT" for r in self.rows).items())
        return sorted(Counter(c.code or "—" for r in self.rows for c in r.ues.values()).items())

    @property
    def recorded_counts(self) -> list[tuple[str, int]]:
        return sorted(Counter(r.recorded for r in self.rows if r.recorded).items())

    @property
    def blocked_rows(self) -> list[ReportRow]:
        return [r for r in self.rows if r.blockers]


def jury_report(*, scope: Scope) -> Report:
    """Return the jury report of a scope (a fixed number of queries)."""
    enrolments = list(
        Enrolment.objects.filter(semester_instance_id__in=scope.ids)
        .select_related("student", "parcours", "semester_instance__semester")
        .order_by("student__last_name", "student__first_name", "student__ine", "semester_instance__semester__number")
    )
    group_names: dict[int, list[str]] = {}  # enrolment id -> its groups' names (plain values: 400 rows are cheap)
    for enrolment_id, name in (Enrolment.groups.through.objects.filter(enrolment_id__in=[e.pk for e in enrolments])
                               .order_by("group__kind", "group__name").values_list("enrolment_id", "group__name")):
        group_names.setdefault(enrolment_id, []).append(name)
    by_student: dict[int, list[Enrolment]] = {}
    for enrolment in enrolments:
        by_student.setdefault(enrolment.student_id, []).append(enrolment)
    statuses = {sid: es[-1].status for sid, es in by_student.items()}
    ue_columns, rcue_columns = _columns(scope)
    figures = scope_figures(scope=scope, statuses=statuses, ue_codes=[c.code for c in ue_columns])
    incomplete = incomplete_evaluations(semester_instances=list(scope.instances), missing=figures.missing,
                                        enrolments=enrolments)
    recorded = _recorded(enrolments)
    programme_parcours = scope.programme.parcours.code
    rows = []
    for student_id, student_enrolments in by_student.items():
        latest = student_enrolments[-1]
        row = ReportRow(
            student=latest.student, enrolment=latest, enrolments=student_enrolments,
            parcours=latest.parcours.code if latest.parcours_id else programme_parcours,
            groups=", ".join(dict.fromkeys(name for e in student_enrolments for name in group_names.get(e.pk, ()))),
        )
        _fill(row, figures.students.get(student_id), recorded)
        _flag(row, scope, student_id in figures.concerned, rcue_columns)
        row.ue_list = [row.ues.get(c.code) for c in ue_columns]
        row.rcue_list = [row.rcues.get(c.key) for c in rcue_columns]
        row.shown = shown_cells(row)
        rows.append(row)
    attach_absences(rows)
    return Report(scope=scope, ue_columns=ue_columns, rcue_columns=rcue_columns, rows=rows, incomplete=incomplete)


def _recorded(enrolments: list[Enrolment]) -> dict[int, dict[tuple[str, str], str]]:
    """Return, per enrolment, the codes in force by (level, subject)."""
    recorded: dict[int, dict] = {}
    for enrolment_id, level, subject, code in (
            JuryDecision.objects.filter(enrolment__in=[e.pk for e in enrolments], superseded_by__isnull=True)
            .order_by("at", "id").values_list("enrolment_id", "level", "subject", "code")):
        recorded.setdefault(enrolment_id, {})[level, subject] = code
    return recorded


def _columns(scope: Scope) -> tuple[list[UEColumn], list[RCUEColumn]]:
    ues = list(UE.objects.filter(semester__programme_id=scope.programme.pk,
                                 semester__number__in=scope.numbers if not scope.is_year
                                 else [2 * scope.year - 1, 2 * scope.year])
               .select_related("semester", "competence_level__competence")
               .order_by("semester__number", "order", "code"))
    ue_columns = [UEColumn(code=u.code, semester=u.semester.number, title=u.title) for u in ues
                  if u.semester.number in scope.numbers]
    rcue_columns = []
    if scope.decides_year:
        levels: dict[str, list[UE]] = {}
        for ue in ues:
            levels.setdefault(ue.competence_level.rcue_key, []).append(ue)
        rcue_columns = [RCUEColumn(key=key, competence=members[0].competence_level.competence.name)
                        for key, members in levels.items() if len({u.semester_id for u in members}) >= 2]
    return ue_columns, rcue_columns


def _fill(row: ReportRow, figures: StudentFigures | None, recorded: dict) -> None:
    if figures is None:
        return
    row.ues, row.rcues = dict(figures.ues), dict(figures.rcues)
    row.ects_year, row.ects_total, row.proposal = figures.ects_year, figures.ects_total, figures.proposal
    row.dut, row.but = figures.dut, figures.but
    for enrolment in row.enrolments:
        for (level, subject), code in recorded.get(enrolment.pk, {}).items():
            if level == JuryLevel.YEAR:
                row.recorded = code
            else:
                row.recorded_ues[subject] = code


def _flag(row: ReportRow, scope: Scope, concerned: bool, rcue_columns: list[RCUEColumn]) -> None:
    """List what blocks an automatic decision for the student, and what the jury should look at."""
    if not row.has_left:
        if any(c.blocked for c in row.ues.values()):
            row.blockers.append(BLOCK_ATT)
        if concerned:
            row.blockers.append(BLOCK_INCOMPLETE)
        if scope.decides_year:
            missing = [c.key for c in rcue_columns if c.key in row.rcues and row.rcues[c.key].average is None
                       and not row.rcues[c.key].validated]
            if missing:
                row.blockers.append(BLOCK_RCUE.format(keys=", ".join(missing)))
            if row.proposal in (None, "ATT") and not row.blockers:
                row.blockers.append(BLOCK_NO_PROPOSAL)
        else:
            uncoded = [code for code, c in row.ues.items() if c.code in (None, "ATT") and not c.blocked]
            if uncoded:
                row.blockers.append(BLOCK_NO_CODE.format(codes=", ".join(uncoded)))
    row.review = list(row.blockers)
    if row.is_repeat:
        row.review.append(REVIEW_REPEAT)
    if row.differs:
        row.review.append(REVIEW_DIFFERS)


def shown_cells(row: ReportRow) -> list[dict | None]:
    """Return what the table shows of each UE then RCUE cell: its text, code and average, and for a capitalised UE
    where it comes from (`row.origins`, set by `mark_origins`: a short mark and the words)."""
    codes = {id(cell): code for code, cell in row.ues.items()}
    shown = []
    for cell in row.ue_list + row.rcue_list:
        if cell is None:
            shown.append(None)
            continue
        mark, short, origin = (row.origins.get(codes.get(id(cell)), ("", "", "")) if cell.capitalised
                               else ("", "", ""))
        shown.append({"css": cell.css, "text": cell.text, "code": cell.code or cell.average_fr,
                      "average": cell.average_fr, "state": cell.state_label, "mark": mark, "short": short,
                      "origin": origin})
    return shown


def mark_origins(report: Report) -> None:
    """Name where each capitalised UE of the report comes from, with its year (« validée hors application (2025) »
    for an external validation, « capitalisée en 2025-2026 » for an earlier passage), and set what every row
    shows (two queries, none when nothing is capitalised)."""
    wanted = {(r.student.pk, code) for r in report.rows for code, c in r.ues.items() if c.capitalised}
    students = {s for s, _ in wanted}
    numbers = {c.code: c.semester for c in report.ue_columns}
    external, earlier = {}, {}
    if wanted:
        external = {(s, code): (origin, day) for s, code, origin, day in ExternalValidation.objects.filter(
            student_id__in=students, ue__code__in={code for _, code in wanted}).values_list(
            "student_id", "ue__code", "origin", "date")}
        for student_id, number, start in (Enrolment.objects.filter(
                student_id__in=students, semester_instance__semester__number__in=set(numbers.values()),
                semester_instance__academic_year__start_year__lt=report.scope.academic_year.start_year)
                .values_list("student_id", "semester_instance__semester__number",
                             "semester_instance__academic_year__start_year")):
            earlier[student_id, number] = max(start, earlier.get((student_id, number), start))
    by_student = {r.student.pk: r for r in report.rows}
    for student_id, code in wanted:
        by_student[student_id].origins[code] = _origin(external.get((student_id, code)),
                                                       earlier.get((student_id, numbers.get(code))))
    for row in report.rows:
        row.shown = shown_cells(row)


def _origin(external: tuple | None, earlier: int | None) -> tuple[str, str, str]:
    """Return the mark, the compact view's shorter one and the words of a capitalised UE's origin."""
    if external is not None:
        origin, day = external
        return (f"ext. {day.year}" if day else "ext.", f"ext.{day:%y}" if day else "ext.",
                "validée hors application" + (f" ({day:%d/%m/%Y})" if day else "") + (f" – {origin}" if origin else ""))
    if earlier is not None:
        years = f"{earlier}-{str(earlier + 1)[2:]}"
        return f"cap. {years}", years[2:], f"capitalisée en {earlier}-{earlier + 1}"
    return "cap.", "cap.", "capitalisée"
