"""The record of a closed jury (R19): written when the jury closes, read by every official output.

Writes: `record_write` (in the closing's transaction) and `record_supersede` (in the reopening's).
Reads: the record itself is read through `grading.selectors.jury_records` (by the jury's parts and the students'
pages alike): `current_record(session)`, the record in force of a closed jury, or None; `recorded_students(...)`,
per student, plain values (`RecordedStudent`: names as printed, every UE/RCUE average as a two-decimal string with
its code and printed label, ECTS, proposal, decision, overrides with their reasons, explanation). Here:
`session_report(session)`, the jury's `Report` (the shape the PV, letters and exports are written from), rebuilt
from the record once the jury is closed, the live figures while it is open.
"""
from decimal import Decimal

from django.utils import timezone

from grading.engine.codes import BUT_ECTS, DUT_ECTS, JuryLevel
from grading.engine.rounding import fmt
from grading.loaders import load_year
from grading.models import (
    Enrolment,
    JuryDecision,
    JuryRecord,
    JuryRecordStudent,
    JurySession,
    SemesterInstance,
    Student,
)
from grading.selectors.jury_records import current_record
from jury.attendance import attach_absences
from jury.cells import Cell, _state
from jury.figures import as_of_scope, run_engine
from jury.report import RCUEColumn, Report, ReportRow, UEColumn, jury_report
from jury.scope import Scope, scope_of_session

UNDECIDED_NO_DECISION = "aucune décision enregistrée"
CLOSE_UNDECIDED = ("Le jury ne peut pas être clos : {count} étudiant(s) sans décision — {names}. Enregistrez pour "
                   "chacun une décision (ATT, décision différée, ou ATJ, avec un motif).")


# ---------------------------------------------------------------- closing: who is undecided


def undecided(report: Report) -> list[tuple[str, str]]:
    """Return the students the jury has not decided yet, each with why: (« NOM Prénom », reason).

    A student who left is decided by the status (R2). At a year jury a student is decided by a year decision
    recorded (the proposals accepted, or the jury's own); at an odd-semester jury by a code recorded on each UE
    not capitalised (R13). The jury decides those it cannot yet itself: `ATT` (décision différée) or `ATJ`, with
    a reason.
    """
    missing = []
    for row in report.rows:
        if row.has_left:
            continue
        why = ", ".join(row.blockers) or UNDECIDED_NO_DECISION
        if report.scope.decides_year:
            if not row.recorded:
                missing.append((str(row.student), why))
        elif any(code not in row.recorded_ues and not cell.capitalised for code, cell in row.ues.items()):
            missing.append((str(row.student), why))
    return missing


def close_refusal(report: Report) -> str | None:
    """Return the French refusal of closing a jury with undecided students, or None."""
    missing = undecided(report)
    if not missing:
        return None
    return CLOSE_UNDECIDED.format(count=len(missing), names=" ; ".join(f"{name} ({why})" for name, why in missing))


# ---------------------------------------------------------------- writing


def record_write(*, session: JurySession, user, report: Report | None = None) -> JuryRecord:
    """Record what the closing jury decided, as it stands (call inside the closing's transaction)."""
    scope = scope_of_session(session)
    report = report or jury_report(scope=scope)
    explained = _explained(scope, report)
    overrides = _overrides(report)
    record = JuryRecord.objects.create(
        session=session, closed_at=session.closed_at or timezone.now(), closed_by=user, date=session.date,
        president=session.president, members=session.members, scope=f"{scope.title} — {scope.period}",
        decides_year=scope.decides_year, year=scope.year,
        grades_version={str(pk): version for pk, version in SemesterInstance.objects.filter(pk__in=scope.ids)
                        .values_list("pk", "results_version")},
        columns={"ues": [[c.code, c.semester, c.title] for c in report.ue_columns],
                 "rcues": [[c.key, c.competence] for c in report.rcue_columns]},
    )
    JuryRecordStudent.objects.bulk_create(
        _student_row(record, report, row, explained.get(row.student.pk), overrides.get(row.student.pk, []))
        for row in report.rows)
    return record


def record_supersede(*, session: JurySession) -> None:
    """Keep the current record of a reopened jury in the history: the next closing records anew."""
    JuryRecord.objects.filter(session=session, superseded_at__isnull=True).update(superseded_at=timezone.now())


def _explained(scope: Scope, report: Report) -> dict:
    """Return the engine's result of each student, explained (module averages, explanation, flags)."""
    statuses = {row.student.pk: row.status for row in report.rows}
    cohort = as_of_scope(load_year(semester_instances=list(scope.instances)), scope, statuses)
    return run_engine(cohort, explain=True).students


def overrides_of(report: Report) -> dict[int, list[dict]]:
    """Return per student the jury's decisions in force that carry a reason (subject, code, reason, by, at)."""
    return _overrides(report)


def _overrides(report: Report) -> dict[int, list[dict]]:
    enrolments = [e.pk for row in report.rows for e in row.enrolments]
    found: dict[int, list[dict]] = {}
    for decision in (JuryDecision.objects.filter(enrolment__in=enrolments, superseded_by__isnull=True)
                     .exclude(reason="").select_related("user", "enrolment").order_by("at", "id")):
        subject = "année" if decision.level == JuryLevel.YEAR else decision.subject
        found.setdefault(decision.enrolment.student_id, []).append({
            "subject": subject, "code": decision.code, "reason": decision.reason,
            "by": decision.user.get_full_name() or decision.user.get_username() if decision.user else "",
            "at": decision.at.isoformat()})
    return found


def _student_row(record: JuryRecord, report: Report, row: ReportRow, result, overrides: list[dict]
                 ) -> JuryRecordStudent:
    titles = {c.code: c.title for c in report.ue_columns}
    competences = {c.key: c.competence for c in report.rcue_columns}
    ues = []
    for column in report.ue_columns:
        cell = row.ues.get(column.code)
        if cell is None:
            continue
        engine_ue = result.ues.get(column.code) if result is not None else None
        modules = sorted(engine_ue.module_averages.items()) if engine_ue is not None else []
        ues.append({"code": column.code, "title": titles[column.code], "semester": column.semester,
                    "average": cell.average, "decision": _text(cell.code),
                    "ects": str(cell.ects), "validated": cell.validated, "by_jury": cell.by_jury,
                    "capitalised": cell.capitalised, "blocked": cell.blocked,
                    "modules": [[module, _fmt(average)] for module, average in modules]})
    rcues = [{"key": key, "competence": competences.get(key, key), "average": cell.average,
              "decision": _text(cell.code), "validated": cell.validated,
              "by_jury": cell.by_jury}
             for key, cell in row.rcues.items()]
    decision = row.recorded or (row.proposal if report.scope.decides_year else None)
    return JuryRecordStudent(
        record=record, student=row.student, enrolment=row.enrolment, name=str(row.student)[:220],
        ine=row.student.ine, parcours=row.parcours or "", status=str(row.status), proposal=_text(row.proposal) or "",
        decision=_text(decision) or "", ects_year=row.ects_year, ects_total=row.ects_total,
        figures={"last_name": row.student.last_name, "first_name": row.student.first_name, "ues": ues,
                 "rcues": rcues, "overrides": overrides, "groups": row.groups,
                 "explain": list(result.explain) if result is not None else [],
                 "flags": list(result.flags) if result is not None else [],
                 # R18 as of this jury: the diplomas the jury attributes (attestations de réussite)
                 "diplomas": {"dut": bool(result and result.dut_eligible),
                              "but": bool(result and result.but_eligible)}},
    )


def _text(code) -> str | None:
    return None if code is None else str(code)


def _fmt(average) -> str | None:
    return fmt(average)


# ---------------------------------------------------------------- reading


def recorded_row(session: JurySession, student_id: int) -> JuryRecordStudent | None:
    """Return one student of a closed jury's record in force (None: the jury is open, or they are not in it)."""
    record = current_record(session)
    return None if record is None else record.students.filter(student_id=student_id).first()


def recorded_cell(figures: dict) -> Cell:
    """Return a UE (with its ECTS) or RCUE cell of a recorded student, as the report shows it."""
    return _cell(figures, ects=Decimal(figures.get("ects", 0)))


def session_report(session: JurySession) -> Report:
    """Return the jury's report: from its record once closed (never recomputed), live while it is open."""
    scope = scope_of_session(session)
    record = current_record(session)
    if record is None:
        return jury_report(scope=scope)
    return recorded_report(record, scope)


def recorded_report(record: JuryRecord, scope: Scope) -> Report:
    """Rebuild the jury's `Report` from its record: names, figures, codes and labels as recorded."""
    rows = list(record.students.select_related("enrolment__semester_instance__semester", "enrolment__parcours")
                .order_by("name", "ine"))
    enrolments = {}
    for enrolment in (Enrolment.objects.filter(student_id__in=[r.student_id for r in rows],
                                               semester_instance_id__in=scope.ids)
                      .select_related("semester_instance__semester").order_by("semester_instance__semester__number")):
        enrolments.setdefault(enrolment.student_id, []).append(enrolment)
    ue_columns = [UEColumn(code=c, semester=s, title=t) for c, s, t in record.columns.get("ues", [])]
    rcue_columns = [RCUEColumn(key=k, competence=n) for k, n in record.columns.get("rcues", [])]
    report_rows = []
    for recorded in rows:
        figures = recorded.figures
        # the student as printed: a later change of name does not reach a closed jury's outputs
        student = Student(pk=recorded.student_id, ine=recorded.ine, last_name=figures.get("last_name", ""),
                          first_name=figures.get("first_name", ""))
        enrolment = recorded.enrolment
        enrolment.status = recorded.status
        row = ReportRow(student=student, enrolment=enrolment,
                        enrolments=enrolments.get(recorded.student_id, [enrolment]), parcours=recorded.parcours,
                        groups=figures.get("groups", ""))
        row.ues = {u["code"]: _cell(u, ects=Decimal(u["ects"])) for u in figures.get("ues", [])}
        row.rcues = {r["key"]: _cell(r) for r in figures.get("rcues", [])}
        row.ects_year, row.ects_total = recorded.ects_year, recorded.ects_total
        row.dut, row.but = recorded_diplomas(record, recorded)
        row.proposal = recorded.proposal or None
        row.recorded = recorded.decision or None if record.decides_year else None
        row.year_reason = next((o["reason"] for o in figures.get("overrides", []) if o["subject"] == "année"), "")
        row.ue_list = [row.ues.get(c.code) for c in ue_columns]
        row.rcue_list = [row.rcues.get(c.key) for c in rcue_columns]
        row.shown = [cell and {"css": cell.css, "text": cell.text} for cell in row.ue_list + row.rcue_list]
        report_rows.append(row)
    attach_absences(report_rows)
    return Report(scope=scope, ue_columns=ue_columns, rcue_columns=rcue_columns, rows=report_rows, incomplete=[])


def recorded_diplomas(record: JuryRecord, recorded: JuryRecordStudent) -> tuple[bool, bool]:
    """Return (DUT, BUT) within reach of a recorded student as the jury's record says (R18); a record written before
    the diplomas were recorded: the ECTS thresholds."""
    diplomas = recorded.figures.get("diplomas")
    if diplomas is None:
        return ((record.year or 0) >= 2 and recorded.ects_total >= DUT_ECTS,
                record.year == 3 and recorded.ects_total >= BUT_ECTS)
    return bool(diplomas.get("dut")), bool(diplomas.get("but"))


def _cell(figures: dict, ects: Decimal = Decimal(0)) -> Cell:
    average, code = figures["average"], figures["decision"]
    validated = bool(figures.get("validated"))
    return Cell(average=average, code=code, state=_state(average, code, validated), validated=validated, ects=ects,
                by_jury=bool(figures.get("by_jury")), capitalised=bool(figures.get("capitalised")),
                blocked=bool(figures.get("blocked")))
