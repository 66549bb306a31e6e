"""R20 through the application: off by default; once Direction turns it on, the loaders feed each enrolment's
unjustified half-days to the engine, and a roll call or an accepted justification shows at once in the averages."""
import datetime
from decimal import Decimal

import pytest

from grading.loaders import load_cohort
from grading.models import Justification
from grading.selectors.live_results import live_results
from grading.services.attendance import attendance_settings_update, roll_call_save, student_absence_record
from grading.services.errors import ServiceError
from grading.services.grades import grade_set
from grading.services.justifications import LOCKED, justification_by_staff, justification_decide
from grading.services.semesters import semester_lock

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2025, 10, 6)


def ue_averages(instance, student_id):
    return {code: average for code, (average, _) in live_results(semester_instance=instance).ues[student_id].items()}


def rule(users, *, enabled=True, threshold=2, points="0.5"):
    attendance_settings_update(user=users["direction"], split_time=datetime.time(13), review_threshold=10,
                               penalty_enabled=enabled, penalty_threshold=threshold, penalty_points=Decimal(points))


@pytest.fixture
def graded(instance, evaluation, enrolments, users):
    for enrolment in enrolments:
        grade_set(evaluation=evaluation, enrolment=enrolment, raw="12", expected_version=0, user=users["secretariat"])
    first = enrolments[0]
    student_absence_record(enrolment=first, first_day=MONDAY, last_day=MONDAY + datetime.timedelta(days=1),
                           user=users["secretariat"])  # 4 half-days
    return first


def test_the_rule_is_off_by_default_and_nothing_is_fed(instance, graded):
    cohort = load_cohort(semester_instance=instance)
    assert cohort.attendance is None
    assert {p.unjustified_half_days for s in cohort.students for p in s.passages} == {0}
    assert set(ue_averages(instance, graded.student_id).values()) == {"12,00"}


def test_on_the_loaders_feed_the_unjustified_half_days(instance, graded, enrolments, users):
    ue_averages(instance, graded.student_id)  # cached before the rule is turned on
    rule(users)
    cohort = load_cohort(semester_instance=instance)
    fed = {s.id: s.passages[0].unjustified_half_days for s in cohort.students}
    assert fed == {e.student_id: (4 if e.pk == graded.pk else 0) for e in enrolments}
    assert (cohort.attendance.threshold, cohort.attendance.points) == (2, Decimal("0.5"))
    assert set(ue_averages(instance, graded.student_id).values()) == {"11,00"}  # (4 − 2) × 0.5 off
    assert set(ue_averages(instance, enrolments[1].student_id).values()) == {"12,00"}


def test_a_justification_and_a_roll_call_show_at_once(instance, graded, users):
    rule(users)
    assert set(ue_averages(instance, graded.student_id).values()) == {"11,00"}
    justification_by_staff(student=graded.student, first_day=MONDAY, last_day=MONDAY, motive="convocation",
                           user=users["secretariat"])
    assert set(ue_averages(instance, graded.student_id).values()) == {"12,00"}  # 2 left: at the threshold
    roll_call_save(semester_instance=instance, group=None, module=None, date=MONDAY + datetime.timedelta(days=3),
                   start=datetime.time(14), end=datetime.time(16), statuses={graded.pk: "absent"},
                   user=users["secretariat"])
    assert set(ue_averages(instance, graded.student_id).values()) == {"11,50"}


@pytest.mark.parametrize("change, message", [
    ("attendance: {threshold: 4}", "attendance.points: clé obligatoire absente"),
    ("attendance: {threshold: -1, points: 0.05}", "attendance.threshold: -1 < 0"),
    ("attendance: {threshold: 4, points: 0.005}", "attendance.points"),
    ("attendance: {threshold: 4, points: 0.05, mode: x}", "attendance.mode: clé inconnue"),
])
def test_r20_a_malformed_attendance_key_exits_2_naming_it(tmp_path, change, message):
    from pathlib import Path

    from django.core.management import CommandError, call_command
    source = (Path(__file__).resolve().parents[1] / "scenarios" / "r20_attendance.yaml").read_text()
    path = tmp_path / "bad.yaml"
    path.write_text(source.replace("attendance: {threshold: 4, points: 0.05}", change, 1))
    with pytest.raises(CommandError) as raised:
        call_command("run_scenario", str(path), check=True)
    assert raised.value.returncode == 2 and message in str(raised.value)


def test_r20_malformed_absences_on_a_path_entry(tmp_path):
    from pathlib import Path

    from django.core.management import CommandError, call_command
    source = (Path(__file__).resolve().parents[1] / "scenarios" / "r20_attendance.yaml").read_text()
    path = tmp_path / "bad.yaml"
    path.write_text(source.replace("absences: {unjustified_half_days: 8}", "absences: {unjustified_half_days: 2.5}"))
    with pytest.raises(CommandError) as raised:
        call_command("run_scenario", str(path), check=True)
    assert raised.value.returncode == 2
    assert "students.ana.path[0].absences.unjustified_half_days: un entier est attendu" in str(raised.value)


def test_r20_justifying_absences_of_a_locked_semester_is_refused_and_nothing_changes(instance, graded, users):
    rule(users)
    pending = Justification.objects.create(student=graded.student, first_day=MONDAY, last_day=MONDAY,
                                           motive="certificat", document=b"%PDF-1.4", content_type="application/pdf",
                                           filename="certificat.pdf")
    semester_lock(semester_instance=instance, user=users["direction"])
    assert set(ue_averages(instance, graded.student_id).values()) == {"11,00"}
    with pytest.raises(ServiceError) as refused:
        justification_by_staff(student=graded.student, first_day=MONDAY, last_day=MONDAY, motive="convocation",
                               user=users["secretariat"])
    assert refused.value.message == LOCKED.format(semester=instance)
    with pytest.raises(ServiceError):
        justification_decide(justification=pending, accept=True, reason="", user=users["secretariat"])
    pending.refresh_from_db()
    assert pending.status == Justification.Status.PENDING
    assert Justification.objects.filter(student=graded.student).count() == 1
    assert set(ue_averages(instance, graded.student_id).values()) == {"11,00"}
    # refusing stays possible (it changes no average), and with R20 off, justifying is free again
    justification_decide(justification=pending, accept=False, reason="illisible", user=users["secretariat"])
    rule(users, enabled=False)
    justification_by_staff(student=graded.student, first_day=MONDAY, last_day=MONDAY, motive="convocation",
                           user=users["secretariat"])
