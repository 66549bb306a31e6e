"""Roll calls (a slot and its marks, corrected with history), a student's absence over several days, and the
department's attendance settings. Every write is one transaction, journaled in AuditEntry (grading.models.attendance).
"""
import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from curriculum.models import Module
from grading.cache_versions import bump_all
from grading.models import (
    AttendanceMark,
    AttendanceSettings,
    AttendanceSlot,
    AuditEntry,
    Enrolment,
    Group,
    SemesterInstance,
)
from grading.selectors.attendance import slot_enrolments
from grading.services.attendance_alerts import alerts_check
from grading.services.audit_entries import audit_row, batch_key, journal
from grading.services.errors import MODULE_NOT_IN_SEMESTER, ServiceError, ensure_unlocked

SLOT_TIMES = "L'heure de fin doit suivre l'heure de début."
GROUP_NOT_IN_SEMESTER = "Ce groupe n'appartient pas à ce semestre."
NOT_IN_SLOT = "{student} n'est pas dans la liste de cet appel."
UNKNOWN_STATUS = "Présence inconnue : « {value} » (présent, absent ou en retard)."
RANGE_ORDER = "La date de fin précède la date de début."
RANGE_TOO_LONG = "Une absence se signale sur 31 jours au plus ; faites-en plusieurs."
RANGE_EMPTY = "Aucun jour ouvré dans cette période."
SETTINGS_POINTS = "Les points retirés par demi-journée vont de 0 à 20."
IMPORT_STALE = "Les inscriptions ont changé depuis l'aperçu : rien n'a été enregistré, déposez à nouveau le fichier."
DAY_START, DAY_END = datetime.time(8, 0), datetime.time(18, 0)
MAX_RANGE_DAYS = 31


@dataclass(frozen=True)
class RollCallResult:
    slot: AttendanceSlot
    created: bool
    changed: int  # marks whose status changed (all non-present ones at creation)


def roll_call_save(*, semester_instance: SemesterInstance, group: Group | None, module: Module | None,
                   date: datetime.date, start: datetime.time, end: datetime.time,
                   statuses: Mapping[int, str], user, slot: AttendanceSlot | None = None) -> RollCallResult:
    """Save a roll call in one step: `statuses` maps enrolment ids to `absent`/`late` (anyone not given is present).

    A slot already taken (the one given, or the same group, module, date and start) is corrected: each changed mark
    is journaled with its old and new status. A locked semester refuses (R19)."""
    if end <= start:
        raise ServiceError(SLOT_TIMES)
    if group is not None and group.semester_instance_id != semester_instance.pk:
        raise ServiceError(GROUP_NOT_IN_SEMESTER)
    if module is not None and module.semester_id != semester_instance.semester_id:
        raise ServiceError(MODULE_NOT_IN_SEMESTER)
    valid = set(AttendanceMark.Status.values)
    for value in statuses.values():
        if value not in valid:
            raise ServiceError(UNKNOWN_STATUS.format(value=value))
    with transaction.atomic():
        ensure_unlocked(semester_instance)
        if slot is None:
            slot = (AttendanceSlot.objects.select_for_update()
                    .filter(semester_instance=semester_instance, kind=AttendanceSlot.Kind.ROLL_CALL, group=group,
                            module=module, date=date, start=start).first())
        created = slot is None
        batch = batch_key("appel")
        rows = []
        if created:
            slot = AttendanceSlot.objects.create(semester_instance=semester_instance, group=group, module=module,
                                                 date=date, start=start, end=end, taken_by=user)
            rows.append(audit_row(obj=slot, action="create", user=user, batch=batch))
        elif (slot.date, slot.start, slot.end) != (date, start, end):
            for field, new in (("date", date), ("start", start), ("end", end)):
                old = getattr(slot, field)
                if old != new:
                    rows.append(audit_row(obj=slot, action="update", field=field, old=old, new=new, user=user,
                                          batch=batch))
                    setattr(slot, field, new)
            slot.save(update_fields=["date", "start", "end"])
        listed = {e.pk: e for e in slot_enrolments(semester_instance=semester_instance, group=slot.group)}
        marks = {m.enrolment_id: m for m in AttendanceMark.objects.filter(slot=slot)}
        for enrolment_id in statuses:
            if enrolment_id not in listed and enrolment_id not in marks:
                raise ServiceError(NOT_IN_SLOT.format(student=f"L'inscription {enrolment_id}"))
        changed = 0
        touched = []  # enrolments whose mark changed: their alerts are checked again
        new_marks = []
        for enrolment_id in sorted(set(listed) | set(marks)):
            status = statuses.get(enrolment_id, AttendanceMark.Status.PRESENT)
            mark = marks.get(enrolment_id)
            if mark is None:
                mark = AttendanceMark(slot=slot, enrolment=listed[enrolment_id], status=status)
                new_marks.append(mark)
                if status != AttendanceMark.Status.PRESENT:
                    changed += 1
                    touched.append(enrolment_id)
                continue
            if mark.status != status:
                rows.append(audit_row(obj=mark, action="update", field="status", old=mark.get_status_display(),
                                      new=AttendanceMark.Status(status).label, user=user, batch=batch))
                mark.status = status
                mark.save(update_fields=["status", "updated_at"])
                changed += 1
                touched.append(enrolment_id)
        for mark in AttendanceMark.objects.bulk_create(new_marks):
            if mark.status != AttendanceMark.Status.PRESENT:
                rows.append(audit_row(obj=mark, action="create", field="status", new=mark.get_status_display(),
                                      user=user, batch=batch))
        journal(rows)
        alerts_check(enrolment_ids=touched, user=user)
    return RollCallResult(slot=slot, created=created, changed=changed)


def student_absence_record(*, enrolment: Enrolment, first_day: datetime.date, last_day: datetime.date, user,
                           settings: AttendanceSettings | None = None) -> list[AttendanceSlot]:
    """Record a student absent every weekday morning and afternoon from `first_day` to `last_day` (illness): one slot
    per half-day, skipped where one already holds that student's absence. Returns the slots created."""
    if last_day < first_day:
        raise ServiceError(RANGE_ORDER)
    if (last_day - first_day).days >= MAX_RANGE_DAYS:
        raise ServiceError(RANGE_TOO_LONG)
    split = (settings or AttendanceSettings.current()).split_time
    days = [first_day + datetime.timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    days = [day for day in days if day.weekday() < 5]
    if not days:
        raise ServiceError(RANGE_EMPTY)
    halves = [(DAY_START, split), (split, DAY_END)]
    with transaction.atomic():
        ensure_unlocked(enrolment.semester_instance)
        taken = set(AttendanceMark.objects.filter(enrolment=enrolment, slot__kind=AttendanceSlot.Kind.STUDENT,
                                                  slot__date__in=days).values_list("slot__date", "slot__start"))
        batch = batch_key("absence")
        created, rows = [], []
        for day in days:
            for start, end in halves:
                if (day, start) in taken:
                    continue
                slot = AttendanceSlot.objects.create(semester_instance=enrolment.semester_instance,
                                                     kind=AttendanceSlot.Kind.STUDENT, date=day, start=start, end=end,
                                                     taken_by=user)
                mark = AttendanceMark.objects.create(slot=slot, enrolment=enrolment,
                                                     status=AttendanceMark.Status.ABSENT)
                rows.append(audit_row(obj=mark, action="create", field="status", new=mark.get_status_display(),
                                      user=user, batch=batch, label=f"{enrolment.student} · {slot}"))
                created.append(slot)
        journal(rows)
        alerts_check(enrolment_ids=[enrolment.pk], user=user)
    return created


def attendance_settings_update(*, user, split_time: datetime.time, review_threshold: int, penalty_enabled: bool,
                               penalty_threshold: int, penalty_points: Decimal) -> AttendanceSettings:
    """Change the department's attendance settings (Direction), journaling each changed field."""
    if not Decimal(0) <= penalty_points <= Decimal(20):
        raise ServiceError(SETTINGS_POINTS)
    with transaction.atomic():
        current = AttendanceSettings.objects.select_for_update().order_by("pk").first() or AttendanceSettings()
        new = {"split_time": split_time, "review_threshold": review_threshold, "penalty_enabled": penalty_enabled,
               "penalty_threshold": penalty_threshold, "penalty_points": penalty_points}
        rows = []
        for field, value in new.items():
            old = getattr(current, field)
            if old != value:
                rows.append((field, old, value))
                setattr(current, field, value)
        current.full_clean()
        current.save()
        if rows and current.penalty_enabled or any(field.startswith("penalty") for field, _, _ in rows):
            # R20 feeds the averages: what pages cached from the former settings must not be read again
            bump_all(unlocked_only=True)
        journal(audit_row(obj=current, action="update", field=field, old=old, new=value, user=user)
                for field, old, value in rows)
    return current


def absences_import(*, semester_instance: SemesterInstance, rows, user,
                    settings: AttendanceSettings | None = None) -> int:
    """Record the absences of a checked attendance sheet, (enrolment id, ISO date, "matin"|"après-midi") each, in one
    transaction and one journal batch; half-days already recorded for the student are skipped. Returns how many
    half-days were added."""
    split = (settings or AttendanceSettings.current()).split_time
    halves = {"matin": (DAY_START, split), "après-midi": (split, DAY_END)}
    with transaction.atomic():
        ensure_unlocked(semester_instance)
        enrolments = Enrolment.objects.select_related("student").in_bulk(
            {pk for pk, _, _ in rows}, field_name="pk")
        if any(e.semester_instance_id != semester_instance.pk for e in enrolments.values()) or len(enrolments) != len(
                {pk for pk, _, _ in rows}):
            raise ServiceError(IMPORT_STALE)
        taken = set(AttendanceMark.objects.filter(enrolment_id__in=list(enrolments),
                                                  slot__kind=AttendanceSlot.Kind.STUDENT)
                    .values_list("enrolment_id", "slot__date", "slot__start"))
        batch = batch_key("absences")
        rows_journal, added = [], 0
        for enrolment_id, iso, half in rows:
            day = datetime.date.fromisoformat(iso)
            start, end = halves[half]
            if (enrolment_id, day, start) in taken:
                continue
            slot = AttendanceSlot.objects.create(semester_instance=semester_instance, kind=AttendanceSlot.Kind.STUDENT,
                                                 date=day, start=start, end=end, taken_by=user)
            mark = AttendanceMark.objects.create(slot=slot, enrolment=enrolments[enrolment_id],
                                                 status=AttendanceMark.Status.ABSENT)
            rows_journal.append(audit_row(obj=mark, action="create", field="status", new=mark.get_status_display(),
                                          user=user, batch=batch, source=AuditEntry.Source.IMPORT,
                                          label=f"{enrolments[enrolment_id].student} · {slot}"))
            added += 1
        journal(rows_journal)
        alerts_check(enrolment_ids=list(enrolments), user=user)
    return added
