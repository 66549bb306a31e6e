"""Reading the record of a closed jury (R19): the one source of its figures once it is closed.

The record is written by the jury (`jury.records.record_write`, at closing); every official output reads it here:
the jury's PV, letters, report and exports (through `jury.records`), Apogée, and the students' pages and
bulletins (`portal.results`) for the semesters whose jury is closed and whose decisions are published.
- `current_record(session)`: the record in force of a closed jury, or None;
- `recorded_students(session=..., record=...)`: per student, plain values (`RecordedStudent`);
- `published_records(student_ids=...)`: what students may read, per (student, semester instance) the recorded
  student of the published jury that decided that semester.
"""
from dataclasses import dataclass
from decimal import Decimal

from grading.engine.codes import EnrolmentStatus
from grading.models import JuryRecord, JuryRecordStudent, JurySession


@dataclass(frozen=True)
class RecordedUE:
    code: str
    title: str
    semester: int
    average: str | None  # two decimals, as the jury read it (R6)
    decision: str | None
    ects: Decimal
    modules: tuple[tuple[str, str, str | None], ...]  # (module code, title, average)
    capitalised: bool = False


@dataclass(frozen=True)
class RecordedRCUE:
    key: str
    competence: str
    average: str | None
    decision: str | None


@dataclass(frozen=True)
class RecordedOverride:
    subject: str
    code: str
    reason: str
    by: str
    at: str  # ISO date and time


@dataclass(frozen=True)
class RecordedStudent:
    student_id: int
    ine: str
    last_name: str
    first_name: str
    parcours: str
    status: str
    ues: tuple[RecordedUE, ...]
    rcues: tuple[RecordedRCUE, ...]
    ects_year: Decimal
    ects_total: Decimal
    proposal: str | None
    decision: str | None  # the year decision (year jury); None at an odd-semester jury
    overrides: tuple[RecordedOverride, ...]
    explain: tuple[str, ...]
    flags: tuple[str, ...]

    @property
    def has_left(self) -> bool:
        return self.status != EnrolmentStatus.ENROLLED


@dataclass(frozen=True)
class PublishedRecord:
    """One student as a closed and published jury recorded them, for the semester instances it decided."""

    record_id: int
    decides_year: bool
    year: int | None
    instance_ids: frozenset
    student: RecordedStudent


def current_record(session: JurySession) -> JuryRecord | None:
    """Return the record in force of a closed jury (None while it is open)."""
    if not session.is_closed:
        return None
    return JuryRecord.objects.filter(session=session, superseded_at__isnull=True).first()


def recorded_students(*, session: JurySession | None = None, record: JuryRecord | None = None
                      ) -> list[RecordedStudent]:
    """Return the students of a closed jury's record as plain values, in printed-name order (empty: no record)."""
    record = record or (current_record(session) if session is not None else None)
    if record is None:
        return []
    return [recorded_student(row) for row in record.students.order_by("name", "ine")]


def published_records(*, student_ids) -> dict[tuple[int, int], PublishedRecord]:
    """Return, per (student id, semester instance id), the record in force of the closed jury whose decisions are
    published on that semester (two queries). A reopened jury's records are superseded: none is returned."""
    rows = list(JuryRecordStudent.objects.filter(
        student_id__in=list(student_ids), record__superseded_at__isnull=True,
        record__session__closed_at__isnull=False, record__session__published_at__isnull=False)
        .select_related("record").order_by("record__closed_at", "record_id"))
    sessions = {row.record.session_id for row in rows}
    instances: dict[int, set] = {}
    for session_id, instance_id in (JurySession.semester_instances.through.objects
                                    .filter(jurysession_id__in=sessions)
                                    .values_list("jurysession_id", "semesterinstance_id")):
        instances.setdefault(session_id, set()).add(instance_id)
    found = {}
    for row in rows:
        ids = frozenset(instances.get(row.record.session_id, ()))
        published = PublishedRecord(record_id=row.record_id, decides_year=row.record.decides_year,
                                    year=row.record.year, instance_ids=ids, student=recorded_student(row))
        for instance_id in ids:
            found[(row.student_id, instance_id)] = published
    return found


def recorded_student(row: JuryRecordStudent) -> RecordedStudent:
    """Return one recorded student as plain values."""
    figures = row.figures
    return RecordedStudent(
        student_id=row.student_id, ine=row.ine, last_name=figures.get("last_name", ""),
        first_name=figures.get("first_name", ""), parcours=row.parcours, status=row.status,
        ues=tuple(RecordedUE(code=u["code"], title=u["title"], semester=u["semester"], average=u["average"],
                             decision=u["decision"], ects=Decimal(u["ects"]),
                             modules=tuple((m, "", a) for m, a in u.get("modules", [])),
                             capitalised=bool(u.get("capitalised")))
                  for u in figures.get("ues", [])),
        rcues=tuple(RecordedRCUE(key=r["key"], competence=r["competence"], average=r["average"],
                                 decision=r["decision"]) for r in figures.get("rcues", [])),
        ects_year=row.ects_year, ects_total=row.ects_total, proposal=row.proposal or None,
        decision=row.decision or None,
        overrides=tuple(RecordedOverride(**o) for o in figures.get("overrides", [])),
        explain=tuple(figures.get("explain", [])), flags=tuple(figures.get("flags", [])),
    )
