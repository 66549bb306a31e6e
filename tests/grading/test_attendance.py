"""Roll calls, a student's absence over several days, justifications and the half-day counts."""
import datetime
from decimal import Decimal

import pytest

from grading.attendance_counts import attendance_counts
from grading.models import AttendanceMark, AttendanceSettings, AuditEntry, Justification
from grading.services import attendance as service
from grading.services import justifications as just
from grading.services.errors import SemesterLocked, ServiceError

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2025, 10, 6)
PDF = b"%PDF-1.4\n" + b"x" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 50
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 50


@pytest.fixture
def instance(make_semester_instance):
    return make_semester_instance(students=4)


@pytest.fixture
def group(instance):
    return instance.groups.get(name="TD1")


@pytest.fixture
def module(instance):
    return instance.semester.modules.order_by("code").first()


def roll(instance, group, module, user, statuses, *, date=MONDAY, start=(8, 0), end=(10, 0)):
    return service.roll_call_save(semester_instance=instance, group=group, module=module, date=date,
                                  start=datetime.time(*start), end=datetime.time(*end), statuses=statuses, user=user)


def members(group):
    return list(group.enrolments.order_by("student__last_name", "student__first_name", "student__ine"))


def test_roll_call_marks_everyone_present_but_those_given(instance, group, module, users):
    first, second = members(group)
    result = roll(instance, group, module, users["teacher"], {first.pk: "absent"})
    marks = dict(AttendanceMark.objects.filter(slot=result.slot).values_list("enrolment_id", "status"))
    assert marks == {first.pk: "absent", second.pk: "present"}
    assert result.created and result.changed == 1
    assert AuditEntry.objects.filter(object_type="grading.attendancemark", new_value="absent").count() == 1


def test_correcting_a_slot_keeps_its_history(instance, group, module, users):
    first, second = members(group)
    slot = roll(instance, group, module, users["teacher"], {first.pk: "absent"}).slot
    again = roll(instance, group, module, users["secretariat"], {second.pk: "late"})
    assert again.slot == slot and not again.created and again.changed == 2
    marks = dict(AttendanceMark.objects.filter(slot=slot).values_list("enrolment_id", "status"))
    assert marks == {first.pk: "present", second.pk: "late"}
    history = AuditEntry.objects.filter(object_type="grading.attendancemark", action="update")
    assert sorted(history.values_list("old_value", "new_value")) == [("absent", "présent"), ("présent", "en retard")]
    assert set(history.values_list("user__username", flat=True)) == {"secretariat"}


def test_roll_call_refuses_bad_input_and_a_locked_semester(instance, group, module, users, make_semester_instance):
    first = members(group)[0]
    with pytest.raises(ServiceError, match="fin doit suivre"):
        roll(instance, group, module, users["teacher"], {}, start=(10, 0), end=(9, 0))
    with pytest.raises(ServiceError, match="Présence inconnue"):
        roll(instance, group, module, users["teacher"], {first.pk: "malade"})
    other = make_semester_instance(students=1)
    stranger = other.enrolments.get()
    with pytest.raises(ServiceError, match="pas dans la liste"):
        roll(instance, group, module, users["teacher"], {stranger.pk: "absent"})
    instance.is_locked = True
    instance.save()
    with pytest.raises(SemesterLocked):
        roll(instance, group, module, users["teacher"], {first.pk: "absent"})
    assert not AttendanceMark.objects.exists()


def test_counts_are_half_days_split_at_the_setting(instance, group, module, users):
    first = members(group)[0]
    roll(instance, group, module, users["teacher"], {first.pk: "absent"}, start=(8, 0), end=(10, 0))
    roll(instance, group, module, users["teacher"], {first.pk: "absent"}, start=(10, 15), end=(12, 15))
    roll(instance, group, module, users["teacher"], {first.pk: "absent"}, start=(13, 30), end=(15, 30))
    roll(instance, group, module, users["teacher"], {first.pk: "late"}, start=(15, 45), end=(17, 45))
    count = attendance_counts(enrolment_ids=[first.pk])[first.pk]
    assert (count.absent, count.justified, count.unjustified, count.late) == (2, 0, 2, 1)
    late_split = AttendanceSettings(split_time=datetime.time(14, 0))
    assert attendance_counts(enrolment_ids=[first.pk], settings=late_split)[first.pk].absent == 1


def test_student_absence_over_days_skips_weekends_and_what_is_recorded(instance, group, users):
    first = members(group)[0]
    friday, monday = MONDAY + datetime.timedelta(days=4), MONDAY + datetime.timedelta(days=7)
    slots = service.student_absence_record(enrolment=first, first_day=friday, last_day=monday,
                                           user=users["secretariat"])
    assert sorted({s.date for s in slots}) == [friday, monday] and len(slots) == 4
    again = service.student_absence_record(enrolment=first, first_day=friday, last_day=monday,
                                           user=users["secretariat"])
    assert again == []
    assert attendance_counts(enrolment_ids=[first.pk])[first.pk].absent == 4
    with pytest.raises(ServiceError, match="précède"):
        service.student_absence_record(enrolment=first, first_day=monday, last_day=friday, user=users["secretariat"])


def test_accepting_a_justification_justifies_the_absences_of_its_dates(instance, group, module, users):
    first = members(group)[0]
    roll(instance, group, module, users["teacher"], {first.pk: "absent"})
    roll(instance, group, module, users["teacher"], {first.pk: "absent"}, date=MONDAY + datetime.timedelta(days=1))
    upload = just.Upload(name="certificat.pdf", data=PDF)
    justification = just.justification_submit(student=first.student, first_day=MONDAY, last_day=MONDAY, motive="malade",
                                              upload=upload, user=users["student"])
    assert attendance_counts(enrolment_ids=[first.pk])[first.pk].justified == 0
    just.justification_decide(justification=justification, accept=True, reason="", user=users["secretariat"])
    count = attendance_counts(enrolment_ids=[first.pk])[first.pk]
    assert (count.absent, count.justified, count.unjustified) == (2, 1, 1)
    with pytest.raises(ServiceError, match="déjà été acceptée"):
        just.justification_decide(justification=justification, accept=False, reason="non", user=users["secretariat"])
    assert AuditEntry.objects.filter(object_type="grading.justification", new_value="acceptée").exists()


def test_a_refusal_needs_its_reason_and_justifies_nothing(instance, group, module, users):
    first = members(group)[0]
    roll(instance, group, module, users["teacher"], {first.pk: "absent"})
    justification = just.justification_submit(student=first.student, first_day=MONDAY, last_day=MONDAY, motive="",
                                              upload=just.Upload(name="a.png", data=PNG), user=users["student"])
    with pytest.raises(ServiceError, match="motif du refus"):
        just.justification_decide(justification=justification, accept=False, reason=" ", user=users["secretariat"])
    just.justification_decide(justification=justification, accept=False, reason="illisible",
                              user=users["secretariat"])
    assert Justification.objects.get().status == Justification.Status.REFUSED
    assert attendance_counts(enrolment_ids=[first.pk])[first.pk].unjustified == 1


def test_staff_justify_without_a_document(instance, group, module, users):
    first = members(group)[0]
    roll(instance, group, module, users["teacher"], {first.pk: "absent"})
    just.justification_by_staff(student=first.student, first_day=MONDAY, last_day=MONDAY, motive="convocation",
                                user=users["secretariat"])
    assert attendance_counts(enrolment_ids=[first.pk])[first.pk].justified == 1


@pytest.mark.parametrize(("data", "expected"), [(PDF, "application/pdf"), (PNG, "image/png"),
                                                (JPEG, "image/jpeg")])
def test_document_type_is_read_from_the_content(data, expected):
    assert just.document_type(data)[0] == expected


@pytest.mark.parametrize("data", [b"", b"<html>%PDF-", b"GIF89a" + b"\0" * 10,
                                  b"%PDF-" + b"x" * (5 * 1024 * 1024)])
def test_documents_refused_by_content_or_size(data):
    with pytest.raises(ServiceError):
        just.document_type(data)


def test_upload_is_refused_before_reading_past_the_limit():
    class Big:
        name = "big.pdf"
        size = None
        read_sizes = []

        def read(self, size):
            self.read_sizes.append(size)
            return b"%PDF-" + b"x" * size

    big = Big()
    with pytest.raises(ServiceError, match="5 Mo"):
        just.read_upload(big)
    assert big.read_sizes == [5 * 1024 * 1024 + 1]


def test_settings_are_journaled_by_field(users):
    saved = service.attendance_settings_update(user=users["direction"], split_time=datetime.time(12, 30),
                                               review_threshold=8, penalty_enabled=True, penalty_threshold=6,
                                               penalty_points=Decimal("0.1"))
    assert AttendanceSettings.current().pk == saved.pk
    fields = set(AuditEntry.objects.filter(object_type="grading.attendancesettings").values_list("field", flat=True))
    assert fields == {"split_time", "review_threshold", "penalty_enabled", "penalty_threshold", "penalty_points"}
    with pytest.raises(ServiceError):
        service.attendance_settings_update(user=users["direction"], split_time=datetime.time(13), review_threshold=8,
                                           penalty_enabled=True, penalty_threshold=6, penalty_points=Decimal("21"))


def test_one_wording_of_an_attendance_count_with_french_plurals_for_pages_and_bulletins():
    from types import SimpleNamespace

    from grading.templatetags.attendance import attendance_text

    def said(absent, justified, late):
        return str(attendance_text(SimpleNamespace(absent=absent, justified=justified,
                                                   unjustified=absent - justified, late=late)))

    assert said(4, 0, 1) == "<strong>4</strong> demi-journées (0 justifiée, 4 non justifiées) · retard : 1"
    assert said(1, 1, 0) == "<strong>1</strong> demi-journée (1 justifiée, 0 non justifiée) · retard : 0"
    assert said(0, 0, 2) == "<strong>0</strong> demi-journée · retards : 2"
