"""The documents the benchmark makes for a whole promotion: the PV de jury, the decision letters, the bulletins.

Each is made through the functions the pages and the worker call, on the department's year (S3 + S4, the
year's jury report) or its S3 (the bulletins, working version: every grade shown). A measure returns the PDF;
`pdf_pages` counts its pages, so that the run prints pages per second and seconds per student. Aims on a 2-core
machine: the PV of 200 students under 2 s; letters and bulletins at 0.1 s per student or better in one batch;
one student's bulletin on demand under 0.5 s.
"""
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO

from bench.department import Department
from grading.models import Enrolment

PV = "PV de jury (year, PDF)"
LETTERS = "decision letters (year, PDF, one batch)"
BULLETINS = "bulletins (S3, PDF, one batch)"
ONE_BULLETIN = "one student's bulletin on demand (made)"
ONE_STORED = "one student's bulletin on demand (stored)"
DOCUMENTS = (PV, LETTERS, BULLETINS, ONE_BULLETIN, ONE_STORED)
AIMS = {PV: ("whole", 2.0), LETTERS: ("student", 0.1), BULLETINS: ("student", 0.1), ONE_BULLETIN: ("whole", 0.5),
        ONE_STORED: ("whole", 0.5)}


@dataclass
class Document:
    name: str
    call: Callable[[], bytes]
    students: int  # how many students the document is for


def pdf_pages(content: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(BytesIO(content)).pages)


def documents(dept: Department) -> list[Document]:
    """Return the documents to measure on a department."""
    from jury.letters import letters_pdf
    from jury.pdf import pv_pdf
    from jury.report import jury_report
    from jury.scope import scope_for

    scope = scope_for(dept.s3, year=True)

    def pv() -> bytes:
        return pv_pdf(report=jury_report(scope=scope), session=None)

    def letters() -> bytes:
        return letters_pdf(report=jury_report(scope=scope), session=None)

    enrolment = Enrolment.objects.filter(semester_instance=dept.s3).select_related("student").order_by("id").first()
    return [Document(PV, pv, dept.students), Document(LETTERS, letters, dept.students),
            Document(BULLETINS, _batch(dept), dept.students), *_on_demand(dept, enrolment)]


def _batch(dept: Department) -> Callable[[], bytes]:
    from portal.batches import semester_bulletins

    return lambda: semester_bulletins(semester_instance=dept.s3, draft=True)


def _on_demand(dept: Department, enrolment: Enrolment) -> list[Document]:
    from portal.bulletins import bulletin_document, stored_bulletins_clear

    def made() -> bytes:
        stored_bulletins_clear(enrolment=enrolment)
        return bulletin_document(enrolment=enrolment, draft=True)

    def stored() -> bytes:
        return bulletin_document(enrolment=enrolment, draft=True)

    return [Document(ONE_BULLETIN, made, 1), Document(ONE_STORED, stored, 1)]


def verdict(name: str, seconds: float, students: int) -> str:
    per, aim = AIMS[name]
    value = seconds / students if per == "student" else seconds
    return f"aim {aim} s{' per student' if per == 'student' else ''}: {'met' if value <= aim else 'NOT met'}"
