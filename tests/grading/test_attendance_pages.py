"""The roll-call pages: who may call which group and module, saving in one step, correcting with history, and the
secretariat's absence over several days."""
import datetime

import pytest
from django.urls import reverse

from grading.models import AttendanceMark, AttendanceSlot, ModuleResponsible

pytestmark = pytest.mark.django_db

DAY = "2025-10-06"


@pytest.fixture
def instance(make_semester_instance):
    return make_semester_instance(students=4)


@pytest.fixture
def group(instance):
    return instance.groups.get(name="TD1")


@pytest.fixture
def modules(instance):
    return list(instance.semester.modules.order_by("code"))


@pytest.fixture
def teacher(users, instance, modules):
    ModuleResponsible.objects.create(semester_instance=instance, module=modules[0], user=users["teacher"])
    return users["teacher"]


def slot_data(group, module, **extra):
    return {"group": str(group.pk) if group else "tous", "module": str(module.pk) if module else "", "date": DAY,
            "start": "08:00", "end": "10:00", **extra}


def login(client, user):
    client.force_login(user)
    return client


def test_teacher_takes_a_roll_call_of_their_module(client, instance, group, modules, teacher):
    login(client, teacher)
    url = reverse("grading:roll_call", args=[instance.pk])
    page = client.get(url, slot_data(group, modules[0]))
    members = list(group.enrolments.order_by("student__last_name", "student__first_name", "student__ine"))
    assert page.status_code == 200
    assert all(str(e.student) in page.content.decode() for e in members)
    response = client.post(url, slot_data(group, modules[0], **{f"status-{members[0].pk}": "absent",
                                                               f"status-{members[1].pk}": "present"}))
    slot = AttendanceSlot.objects.get()
    assert response.status_code == 302 and response.url == reverse("grading:roll_call_slot", args=[slot.pk])
    assert dict(slot.marks.values_list("enrolment_id", "status")) == {members[0].pk: "absent",
                                                                      members[1].pk: "present"}
    assert slot.taken_by == teacher and slot.group == group and slot.module == modules[0]


def test_teacher_may_not_call_another_module_nor_another_semester(client, instance, group, modules, teacher,
                                                                   make_semester_instance):
    login(client, teacher)
    url = reverse("grading:roll_call", args=[instance.pk])
    response = client.post(url, slot_data(group, modules[1]))
    assert response.status_code == 400 and not AttendanceSlot.objects.exists()
    response = client.post(url, slot_data(None, modules[0]))
    assert response.status_code == 400 and not AttendanceSlot.objects.exists()
    other = make_semester_instance(students=2)
    other_group = other.groups.first()
    response = client.post(reverse("grading:roll_call", args=[other.pk]), slot_data(other_group, None))
    assert response.status_code == 403


def test_a_slot_of_another_module_is_closed_to_the_teacher(client, instance, group, modules, teacher, users):
    slot = AttendanceSlot.objects.create(semester_instance=instance, group=group, module=modules[1],
                                         date=datetime.date(2025, 10, 6), start=datetime.time(8),
                                         end=datetime.time(10), taken_by=users["secretariat"])
    login(client, teacher)
    assert client.get(reverse("grading:roll_call_slot", args=[slot.pk])).status_code == 403
    assert client.get(reverse("grading:roll_call_list", args=[instance.pk])).content.decode().count(
        reverse("grading:roll_call_slot", args=[slot.pk])) == 0


def test_correcting_a_slot_shows_its_history(client, instance, group, modules, users):
    login(client, users["secretariat"])
    members = list(group.enrolments.order_by("student__last_name", "student__first_name", "student__ine"))
    client.post(reverse("grading:roll_call", args=[instance.pk]),
                slot_data(None, None, **{f"status-{members[0].pk}": "absent"}))
    slot = AttendanceSlot.objects.get()
    assert slot.group is None and slot.marks.count() == instance.enrolments.count()
    url = reverse("grading:roll_call_slot", args=[slot.pk])
    response = client.post(url, slot_data(None, None, **{f"status-{members[0].pk}": "late"}))
    assert response.status_code == 302
    assert slot.marks.get(enrolment=members[0]).status == AttendanceMark.Status.LATE
    page = client.get(url).content.decode()
    assert "Corrections" in page and "absent → en retard" in page and "Sacha" in page


def test_others_may_not_take_a_roll_call(client, instance, group, users):
    for role in ("jury", "student"):
        login(client, users[role])
        response = client.post(reverse("grading:roll_call", args=[instance.pk]), slot_data(group, None))
        assert response.status_code == 403  # refused, not redirected as a saved roll call is
    assert not AttendanceSlot.objects.exists()


def test_secretariat_records_an_absence_over_several_days(client, instance, group, users, teacher):
    enrolment = group.enrolments.first()
    url = reverse("grading:student_absence", args=[instance.pk, enrolment.pk])
    login(client, teacher)
    assert client.post(url, {"first_day": "2025-10-06", "last_day": "2025-10-07"}).status_code == 403
    login(client, users["secretariat"])
    response = client.post(url, {"first_day": "2025-10-06", "last_day": "2025-10-07"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "<strong>4</strong> demi-journées" in page and "lundi 06/10/2025 matin" in page
    assert client.post(url, {"first_day": "2025-10-07", "last_day": "2025-10-06"}).status_code == 400


def test_direction_sets_the_attendance_rules_journaled(client, users):
    from grading.models import AttendanceSettings, AuditEntry
    url = reverse("grading:attendance_settings")
    data = {"split_time": "12:30", "review_threshold": "6", "penalty_enabled": "on", "penalty_threshold": "8",
            "penalty_points": "0,25"}
    login(client, users["secretariat"])
    assert client.post(url, data).status_code == 403
    login(client, users["direction"])
    assert client.post(url, data).status_code == 302
    saved = AttendanceSettings.current()
    assert (saved.split_time, saved.penalty_enabled, saved.penalty_threshold, str(saved.penalty_points)) == (
        datetime.time(12, 30), True, 8, "0.25")
    assert AuditEntry.objects.filter(object_type="grading.attendancesettings", field="penalty_points",
                                     new_value="0.25").exists()


def test_staff_justify_from_the_students_absences_page(client, instance, group, users):
    enrolment = group.enrolments.first()
    login(client, users["secretariat"])
    client.post(reverse("grading:student_absence", args=[instance.pk, enrolment.pk]),
                {"first_day": "2025-10-06", "last_day": "2025-10-06"})
    response = client.post(reverse("grading:student_justify", args=[instance.pk, enrolment.pk]),
                           {"first_day": "2025-10-06", "last_day": "2025-10-06", "motive": "convocation"})
    assert response.status_code == 302
    page = client.get(reverse("grading:student_absence", args=[instance.pk, enrolment.pk])).content.decode()
    assert "(2 justifiées, 0 non justifiée)" in page


def test_the_secretariat_sets_abs_for_the_absent_students_on_that_days_evaluation(client, instance, group, modules,
                                                                                   users):
    from grading.models import Grade, GradeChange
    from grading.services.evaluations import evaluation_create
    from grading.services.grades import grade_set
    members = list(group.enrolments.order_by("student__last_name", "student__first_name", "student__ine"))
    same_day = evaluation_create(semester_instance=instance, module=modules[0], title="DS du jour",
                                 date=datetime.date(2025, 10, 6))
    evaluation_create(semester_instance=instance, module=modules[0], title="DS suivant",
                      date=datetime.date(2025, 10, 13))
    login(client, users["secretariat"])
    client.post(reverse("grading:roll_call", args=[instance.pk]),
                slot_data(group, modules[0], **{f"status-{m.pk}": "absent" for m in members}))
    slot = AttendanceSlot.objects.get()
    page = client.get(reverse("grading:roll_call_slot", args=[slot.pk])).content.decode()
    assert "DS du jour" in page and "DS suivant" not in page  # offered for that day's evaluation only
    assert not Grade.objects.exists()  # never automatic
    grade_set(evaluation=same_day, enrolment=members[1], raw="14", user=users["secretariat"], expected_version=0)
    response = client.post(reverse("grading:roll_call_abs", args=[slot.pk]), {"evaluation": same_day.pk},
                           follow=True)
    assert "ABS saisi pour 1 étudiant(s)" in response.content.decode()
    grades = {g.enrolment_id: g.display for g in Grade.objects.filter(evaluation=same_day)}
    assert grades == {members[0].pk: "ABS", members[1].pk: "14"}  # a grade already entered is kept
    assert GradeChange.objects.filter(enrolment=members[0], source="roll", new_value="ABS").exists()
    instance.is_locked = True
    instance.save()
    response = client.post(reverse("grading:roll_call_abs", args=[slot.pk]), {"evaluation": same_day.pk},
                           follow=True)
    assert "verrouillé" in response.content.decode()
    login(client, users["teacher"])
    assert client.post(reverse("grading:roll_call_abs", args=[slot.pk]),
                       {"evaluation": same_day.pk}).status_code == 403
