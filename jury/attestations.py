"""Attestations de réussite (R18): the DUT once the 120 ECTS of S1–S4 are acquired, the BUT at 180; the jury
attributes them. Read from a closed year jury's record only (what the jury decided, never recomputed): the
record keeps, per student, the diplomas the engine found within reach as of that jury."""
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string

from grading.engine.codes import EnrolmentStatus
from grading.models import JuryRecord, JurySession
from grading.selectors.institution import institution_identity, letterhead_context
from grading.selectors.jury_records import current_record
from jury.pdf import issue_date, president_title
from jury.records import recorded_diplomas
from jury.scope import scope_of_session

DUT = "DUT"
BUT = "BUT"
DIPLOMA_NAMES = {DUT: "Diplôme universitaire de technologie (DUT)", BUT: "Bachelor universitaire de technologie (BUT)"}
NOT_CLOSED = "Les attestations de réussite se lisent sur le relevé d'un jury d'année clos."
NONE_ELIGIBLE = "Aucun étudiant de ce jury n'a acquis les crédits d'un diplôme (120 ECTS pour le DUT, 180 pour le BUT)."
STUDENT_NOT_ELIGIBLE = "{student} n'a pas acquis les crédits d'un diplôme à ce jury : pas d'attestation."


@dataclass(frozen=True)
class Attestation:
    student_id: int
    last_name: str
    first_name: str
    ine: str
    diploma: str  # DUT or BUT
    ects: Decimal

    @property
    def diploma_name(self) -> str:
        return DIPLOMA_NAMES[self.diploma]


def diploma_of(record: JuryRecord, row) -> str | None:
    """The diploma a recorded student is attested: BUT at 180 ECTS, else DUT at 120 (R18), else None."""
    if not record.decides_year or row.status != EnrolmentStatus.ENROLLED:
        return None
    dut, but = recorded_diplomas(record, row)
    if but:
        return BUT
    if dut:
        return DUT
    return None


def attestations(*, record: JuryRecord, student_id: int | None = None) -> list[Attestation]:
    """Return the attestations a closed jury's record gives (one student's, or the whole promotion's)."""
    rows = record.students.order_by("name", "ine")
    if student_id is not None:
        rows = rows.filter(student_id=student_id)
    found = []
    for row in rows:
        diploma = diploma_of(record, row)
        if diploma is not None:
            found.append(Attestation(student_id=row.student_id, last_name=row.figures.get("last_name", ""),
                                     first_name=row.figures.get("first_name", ""), ine=row.ine, diploma=diploma,
                                     ects=row.ects_total))
    return found


def session_attestations(*, session: JurySession, student_id: int | None = None) -> list[Attestation]:
    record = current_record(session)
    return attestations(record=record, student_id=student_id) if record is not None else []


def attestations_pdf(*, session: JurySession, items: list[Attestation]) -> bytes:
    """Return the attestations as one PDF, one page each."""
    from weasyprint import HTML  # imported here: loading WeasyPrint is slow and only PDFs need it

    record = current_record(session)
    identity = institution_identity()
    president = record.president if record else session.president
    scope = scope_of_session(session)
    html = render_to_string("jury/pdf/attestations.html", {
        **letterhead_context(identity), "items": items, "session": session, "record": record,
        "programme": scope.programme, "speciality": scope.programme.speciality, "scope": scope,
        "issued": issue_date(session), "president": president, "president_title": president_title(president, identity),
        "show_signature": bool(identity.signature) and bool(identity.president_name)
        and president_title(president, identity) == identity.president_title})
    return HTML(string=html).write_pdf()
