"""The figures of a closed and published jury on a student's page and bulletins: its record, never a recomputation.

For each semester a closed jury decided and whose decisions are published, the jury's record (R19,
`grading.selectors.jury_records`) gives every figure the student reads: UE averages, codes and ECTS, module
averages, RCUE averages and codes, the year decision and the ECTS acquired, exactly as the PV prints them. The
student's own grades per evaluation stay beside them (published with the decisions). A semester with no published
closed jury keeps the figures computed from what is published.
"""
from decimal import Decimal

from grading.selectors.jury_records import PublishedRecord, RecordedStudent


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def apply_records(semesters: list, records: dict[int, PublishedRecord]) -> None:
    """Put the recorded figures on the semesters (`SemesterResults`) a published record covers, in place.

    `records` maps a semester instance id to the record of the jury that decided it, for one student.
    """
    for semester in semesters:
        published = records.get(semester.instance_id)
        if published is None:
            continue
        recorded = published.student
        ues = {ue.code: ue for ue in recorded.ues if ue.semester == semester.number}
        for line in semester.ues:
            ue = ues.get(line.code)
            if ue is None:
                continue
            average = _decimal(ue.average)
            if line.average != average:  # the live figure before bonus belongs to another average
                line.average_before_bonus = None
            line.average, line.decision, line.ects, line.capitalised = average, ue.decision, ue.ects, ue.capitalised
            modules = {code: _decimal(value) for code, _title, value in ue.modules}
            for module in line.modules:
                if module.code in modules:
                    module.average = modules[module.code]
        semester.codes_visible = True
        semester.ects = sum((ue.ects for ue in ues.values()), Decimal(0))
        if semester.closes_year and published.decides_year and published.year == semester.year:
            semester.year_decision = recorded.decision
            rcues = {rcue.key: rcue for rcue in recorded.rcues}
            for line in semester.rcues:
                rcue = rcues.get(line.key)
                if rcue is not None:
                    line.average, line.decision = _decimal(rcue.average), rcue.decision
                    line.competence_name = rcue.competence


def recorded_rcues(records: dict[int, PublishedRecord]) -> dict[str, str | None]:
    """Return the RCUE codes the published year juries recorded (for the competences' progress)."""
    found = {}
    for published in sorted({p.record_id: p for p in records.values()}.values(), key=lambda p: p.record_id):
        if published.decides_year:
            found.update({rcue.key: rcue.decision for rcue in published.student.rcues})
    return found


def recorded_ects(semesters: list, records: dict[int, PublishedRecord], computed: Decimal) -> Decimal:
    """Return the ECTS acquired so far: the record's total when the latest semester whose codes the student reads
    was decided by a published jury (the PV's figure), else the figure computed from published decisions."""
    visible = [s for s in semesters if s.codes_visible]
    if not visible or visible[-1].instance_id not in records:
        return computed
    student: RecordedStudent = records[visible[-1].instance_id].student
    return student.ects_total
