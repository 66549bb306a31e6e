"""What the Apogée export writes for each student of a jury: one small reader, so that its source can change alone.

The jury's own record of what it decided (the figures as it closed) is the source every official output must read.
Until that record exists in this code base, the values are the engine's figures as of the jury's semesters (each
path cut after them, statuses as they stand there), which carry every decision the jury recorded (R16: a recorded
decision wins over the proposal) — the same figures the jury's report and PV print today. Replacing this function's
body with a reading of the record changes nothing else of the export.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from curriculum.models import UE
from grading.engine.compute import cyclic_gc_paused
from grading.engine.rounding import shown
from grading.loaders import load_year
from grading.models import Enrolment
from jury.figures import as_of_scope, run_engine
from jury.scope import Scope

Pair = tuple[Decimal | None, str | None]  # (average rounded to the cent, code)


@dataclass(frozen=True)
class StudentValues:
    student_id: int
    nip: str
    name: str  # "DURAND Hélène"
    status: str  # the enrolment status in the jury's last semester
    year: str | None  # the year decision (None: not a year jury, or none recorded)
    ues: dict[str, Pair] = field(default_factory=dict)  # UE code -> (average, code)
    rcues: dict[str, Pair] = field(default_factory=dict)  # RCUE key (C1-2) -> (average, code)
    modules: dict[tuple[int, str], Decimal | None] = field(default_factory=dict)  # (semester, module code) -> average
    ue_ects: dict[str, Decimal] = field(default_factory=dict)  # UE code -> the programme's ECTS (a weight)
    ue_semesters: dict[str, int] = field(default_factory=dict)  # UE code -> semester number


def _rounded(value) -> Decimal | None:
    return None if value is None else shown(value)


def jury_values(*, scope: Scope) -> list[StudentValues]:
    """Return each student of the jury's semesters with the averages and codes the jury decided on."""
    enrolments = list(Enrolment.objects.filter(semester_instance_id__in=scope.ids).select_related("student")
                      .order_by("student__last_name", "student__first_name", "semester_instance__semester__number"))
    latest = {e.student_id: e for e in enrolments}
    statuses = {sid: e.status for sid, e in latest.items()}
    cohort = as_of_scope(load_year(semester_instances=list(scope.instances)), scope, statuses)
    with cyclic_gc_paused():
        result = run_engine(cohort, explain=False)
    ues = {code: (ects, number) for code, ects, number in
           UE.objects.filter(semester__programme_id=scope.programme.pk, semester__number__in=scope.numbers)
           .values_list("code", "ects", "semester__number")}
    ids = set(scope.ids)
    out = []
    for student_id, enrolment in latest.items():
        figures = result.students.get(student_id)
        student = enrolment.student
        values = StudentValues(
            student_id=student_id, nip=student.nip, name=f"{student.last_name.upper()} {student.first_name}",
            status=enrolment.status,
            year=figures.years.get(scope.year) if figures is not None and scope.decides_year else None,
            ue_ects={code: ects for code, (ects, _) in ues.items()},
            ue_semesters={code: number for code, (_, number) in ues.items()})
        if figures is not None:
            values.ues.update({code: (_rounded(ue.average), ue.decision) for code, ue in figures.ues.items()
                               if code in ues})
            if scope.decides_year:
                values.rcues.update({key: (_rounded(r.average), r.decision) for key, r in figures.rcues.items()
                                     if r.year == scope.year})
            for passage in figures.passages:
                if passage.run in ids:
                    for ue in passage.ues.values():
                        for module, average in ue.module_averages.items():
                            values.modules[passage.semester, module] = _rounded(average)
        out.append(values)
    return out
