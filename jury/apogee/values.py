"""What the Apogée export writes for each student of a jury: read from the jury's record (what it decided, as it
stood when it closed), never recomputed, so that Apogée receives exactly the PV's figures.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from curriculum.models import UE
from grading.models import JurySession, Student
from grading.selectors.jury_records import recorded_students
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


def _decimal(average: str | None) -> Decimal | None:
    return None if average is None else Decimal(average)


def jury_values(*, session: JurySession, scope: Scope) -> list[StudentValues]:
    """Return each student of a closed jury's record with the averages and codes it decided on (empty: no record)."""
    ues = {code: (ects, number) for code, ects, number in
           UE.objects.filter(semester__programme_id=scope.programme.pk, semester__number__in=scope.numbers)
           .values_list("code", "ects", "semester__number")}
    recorded = recorded_students(session=session)
    nips = dict(Student.objects.filter(pk__in=[r.student_id for r in recorded]).values_list("pk", "nip"))
    out = []
    for row in recorded:
        values = StudentValues(
            student_id=row.student_id, nip=nips.get(row.student_id, ""),
            name=f"{row.last_name.upper()} {row.first_name}", status=row.status,
            year=row.decision if scope.decides_year else None,
            ue_ects={code: ects for code, (ects, _) in ues.items()},
            ue_semesters={code: number for code, (_, number) in ues.items()})
        for ue in row.ues:
            if ue.code not in ues:
                continue
            values.ues[ue.code] = (_decimal(ue.average), ue.decision)
            for module, _title, average in ue.modules:
                values.modules.setdefault((ue.semester, module), _decimal(average))
        if scope.decides_year:
            values.rcues.update({r.key: (_decimal(r.average), r.decision) for r in row.rcues})
        out.append(values)
    return out
