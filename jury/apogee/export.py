"""Fill an Apogée maquette with a closed jury's results, and say what could not be filled.

For every student of the jury found in the file by NIP: each UE element its average (N), 20 (B) and code (R);
each RCUE element likewise; the year element and the étape (VET) the year decision; the semester elements as the
department sets (`ApogeeExportSettings`); module elements their average only; J left empty. Codes go through the
department's translation table (`ApogeeTranslation`); a code without one, or one the file's Apogée instance does
not accept (XX-APO_TYP_RES-XX), is reported and not written. Every other byte of the file stays as it was.

The report's four lists: students of the file not in the jury, students of the jury not in the file (or without
a NIP), elements of the programme without an Apogée code, codes without a translation.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from curriculum.apogee_codes import MODULE, RCUE, SEMESTER, UE_KIND, VET, YEAR, apogee_objects
from grading.engine.codes import EnrolmentStatus
from grading.models import ApogeeExport, ApogeeExportSettings, AuditEntry, JurySession
from grading.models.apogee import SemesterCode, SemesterElement
from grading.services.apogee_settings import apogee_translations
from grading.services.audit_entries import audit_row, journal
from jury.apogee.maquette import Value, fill, read_maquette, write_maquette
from jury.apogee.values import StudentValues, jury_values
from jury.scope import scope_of_session

NOT_CLOSED = "Le jury du {date} n'est pas clos : l'export Apogée se fait après la clôture."
UE_VALIDATED = frozenset({"ADM", "CMP", "ADJ", "ADJR", "ADSUP"})
LEFT = (EnrolmentStatus.DEM, EnrolmentStatus.DEF)


class ExportRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class ExportReport:
    not_in_jury: list[str] = field(default_factory=list)  # "12345678 DURAND Hélène"
    not_in_file: list[str] = field(default_factory=list)  # "DURAND Hélène (NIP 12345678)" / "(sans NIP)"
    uncoded: list[str] = field(default_factory=list)  # object names of the programme without a code
    untranslated: list[str] = field(default_factory=list)  # "ADSUP (UE3.1 : 2 étudiants)"
    students_filled: int = 0
    cells_written: int = 0

    def as_dict(self) -> dict:
        return {"students_filled": self.students_filled, "cells_written": self.cells_written,
                "not_in_jury": self.not_in_jury, "not_in_file": self.not_in_file, "uncoded": self.uncoded,
                "untranslated": self.untranslated}


@dataclass(frozen=True)
class ExportResult:
    content: bytes
    report: ExportReport
    filename: str


def export_settings() -> ApogeeExportSettings:
    return ApogeeExportSettings.objects.filter(pk=1).first() or ApogeeExportSettings(pk=1)


def apogee_export(*, session: JurySession, maquette: bytes, filename: str = "maquette.txt") -> ExportResult:
    """Return the filled maquette and the report; refuse a jury not closed or a malformed file (MaquetteError)."""
    if session.closed_at is None:
        raise ExportRefused(NOT_CLOSED.format(date=session.date.strftime("%d/%m/%Y")))
    parsed = read_maquette(maquette)
    scope = scope_of_session(session)
    objects = [o for o in apogee_objects(programme=scope.programme)
               if o.year == scope.year and (o.semester is None or o.semester in scope.numbers)
               and (o.kind not in (VET, YEAR, RCUE) or scope.decides_year)]
    students = jury_values(session=session, scope=scope)
    table, settings = apogee_translations(), export_settings()
    report = ExportReport(uncoded=[o.name for o in objects if not o.code])
    untranslated: dict[tuple[str, str], int] = defaultdict(int)

    def translated(code: str | None, where: str) -> str:
        if not code:
            return ""
        apogee = table.get(code, code)
        if not apogee:
            untranslated[code, where] += 1
        return apogee

    values: dict[str, dict[str, Value]] = {}
    for student in students:
        if not student.nip or student.nip not in parsed.rows:
            report.not_in_file.append(f"{student.name} ({f'NIP {student.nip}' if student.nip else 'sans NIP'})")
            continue
        values[student.nip] = _student_values(student, objects, settings, translated)
    outcome = fill(parsed, values)
    for _nip, element, code in outcome.not_accepted:
        name = next((o.name for o in objects if o.code == element), element)
        untranslated[code, name] += 1
    known = {s.nip for s in students if s.nip}
    report.not_in_jury = [f"{nip} {parsed.student_names.get(nip, '')}".strip() for nip in parsed.rows
                          if nip not in known]
    report.untranslated = [f"{code} ({where} : {count} étudiant{'s' if count > 1 else ''})"
                           for (code, where), count in sorted(untranslated.items())]
    report.students_filled, report.cells_written = len(outcome.students_filled), outcome.cells_written
    return ExportResult(content=write_maquette(parsed), report=report, filename=filename)


def _student_values(student: StudentValues, objects, settings, translated) -> dict[str, Value]:
    out: dict[str, Value] = {}
    year_code = student.status if student.status in LEFT else student.year
    for obj in objects:
        if not obj.code:
            continue
        if obj.kind in (VET, YEAR):
            value = Value(None, translated(year_code, obj.name))
        elif obj.kind == UE_KIND:
            average, code = student.ues.get(obj.name.split(" ")[-1], (None, None))
            value = Value(average, translated(code, obj.name))
        elif obj.kind == RCUE:
            average, code = student.rcues.get(obj.name.removeprefix("RCUE "), (None, None))
            value = Value(average, translated(code, obj.name))
        elif obj.kind == SEMESTER:
            value = _semester_value(student, obj.semester, settings, year_code, translated, obj.name)
        elif obj.kind == MODULE:
            value = Value(student.modules.get((obj.semester, obj.name.split(" ")[-1])), "")
        else:
            continue
        out[obj.code] = value
    return out


def _semester_value(student: StudentValues, number: int, settings, year_code, translated, name: str) -> Value:
    ues = [(average, ects, code) for (average, code), ects, semester in
           ((student.ues[c], student.ue_ects.get(c, Decimal(0)), student.ue_semesters.get(c))
            for c in student.ues) if semester == number]
    average = None
    if settings.semester_element == SemesterElement.AVERAGE:
        weighted = [(a, e) for a, e, _ in ues if a is not None and e > 0]
        if weighted and len(weighted) == len(ues):
            average = sum(a * e for a, e in weighted) / sum(e for _, e in weighted)
    code = None
    if settings.semester_code == SemesterCode.YEAR:
        code = year_code
    elif settings.semester_code == SemesterCode.UES and ues and all(c for _, _, c in ues):
        code = "ADM" if all(c in UE_VALIDATED for _, _, c in ues) else "AJ"
    return Value(average, translated(code, name))


def apogee_export_save(*, session: JurySession, maquette: bytes, filename: str, user) -> ApogeeExport:
    """Fill the maquette and keep the result to be downloaded, journaled (one transaction)."""
    result = apogee_export(session=session, maquette=maquette, filename=filename)
    with transaction.atomic():
        export = ApogeeExport.objects.create(session=session, filename=filename[:200], content=result.content,
                                             report=result.report.as_dict(), made_by=user)
        journal([audit_row(obj=export, action="create", user=user, source=AuditEntry.Source.APP,
                           field="export Apogée", new=f"{filename} : {result.report.students_filled} étudiant(s)")])
    return export
