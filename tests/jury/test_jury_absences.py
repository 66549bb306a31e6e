"""The jury report's absences column (half-days over the year, unjustified ones apart) and « à examiner » above the
department's threshold; the student sheet shows the same count."""
import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from grading.models import Enrolment
from grading.services.attendance import attendance_settings_update, student_absence_record
from grading.services.justifications import justification_by_staff
from jury.attendance import REVIEW_ABSENCES
from jury.report import jury_report
from jury.scope import scope_for

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2025, 10, 6)


def absent(promotion, student, days, user, *, semester="s3", start=MONDAY):
    enrolment = Enrolment.objects.get(student=student, semester_instance=getattr(promotion, semester))
    student_absence_record(enrolment=enrolment, first_day=start, last_day=start + datetime.timedelta(days=days - 1),
                           user=user)


@pytest.fixture
def promotion_with_absences(clean_promotion, users):
    first, second = clean_promotion.students[:2]
    absent(clean_promotion, first, 3, users["secretariat"])  # 6 half-days in S3
    absent(clean_promotion, first, 1, users["secretariat"], semester="s4", start=datetime.date(2026, 2, 2))  # 2 in S4
    absent(clean_promotion, second, 2, users["secretariat"])  # 4 half-days, justified below
    justification_by_staff(student=second, first_day=MONDAY, last_day=MONDAY + datetime.timedelta(days=1),
                           motive="hospitalisation", user=users["secretariat"])
    return clean_promotion


def rows_by_student(promotion):
    report = jury_report(scope=scope_for(promotion.s3, year=True))
    return {row.student.pk: row for row in report.rows}


def test_the_report_counts_the_years_half_days(promotion_with_absences, users):
    first, second, third = promotion_with_absences.students[:3]
    rows = rows_by_student(promotion_with_absences)
    assert (rows[first.pk].absences.absent, rows[first.pk].absences.unjustified) == (8, 8)
    assert (rows[second.pk].absences.absent, rows[second.pk].absences.justified) == (4, 4)
    assert rows[third.pk].absences.absent == 0
    assert rows[first.pk].absences_text == "8 (8 NJ)" and rows[third.pk].absences_text == "0"


def test_above_the_threshold_the_student_is_to_examine(promotion_with_absences, users):
    first, second = promotion_with_absences.students[:2]
    attendance_settings_update(user=users["direction"], split_time=datetime.time(13), review_threshold=7,
                               penalty_enabled=False, penalty_threshold=10, penalty_points=Decimal(0))
    rows = rows_by_student(promotion_with_absences)
    assert REVIEW_ABSENCES.format(count=8) in rows[first.pk].review
    assert not any("absences" in reason for reason in rows[second.pk].review)  # 4 justified: nothing to examine
    attendance_settings_update(user=users["direction"], split_time=datetime.time(13), review_threshold=8,
                               penalty_enabled=False, penalty_threshold=10, penalty_points=Decimal(0))
    assert not any("absences" in reason for reason in rows_by_student(promotion_with_absences)[first.pk].review)


def test_the_report_page_and_the_sheet_show_the_counts(client, users, promotion_with_absences):
    first = promotion_with_absences.students[0]
    client.force_login(users["jury"])
    html = client.get(reverse("jury:report", args=["annee", promotion_with_absences.s3.pk])).content.decode()
    assert "Absences : demi-journées" in html and ">8 (8 NJ)</td>" in html
    sheet = client.get(reverse("jury:sheet", args=["annee", promotion_with_absences.s3.pk, first.pk]))
    assert "<strong>8</strong> demi-journées (0 justifiée, 8 non justifiées)" in sheet.content.decode()
