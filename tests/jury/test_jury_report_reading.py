"""The report as a jury reads it: the compact view (codes first, averages in each cell's title), capitalised and
externally validated UEs marked with their year, the row whose decision differs from the proposal highlighted,
students who left badged."""
import datetime
import re
from decimal import Decimal

from django.urls import reverse

from curriculum.models import UE
from grading.engine.codes import EnrolmentStatus, JuryLevel
from grading.models import Enrolment, ExternalValidation
from jury.decisions import decision_override
from jury.report import jury_report
from jury.scope import scope_for, scope_of_session


def report_url(promotion, **query) -> str:
    url = reverse("jury:report", args=["annee", promotion.s3.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def row_of(page: str, ine: str) -> str:
    return re.search(rf'<tr data-ine="{ine}"[^>]*>.*?</tr>', page, re.S).group(0)


def test_the_compact_view_shows_codes_with_the_averages_in_titles(client, users, clean_promotion):
    client.force_login(users["jury"])
    full = client.get(report_url(clean_promotion)).content.decode()
    compact = client.get(report_url(clean_promotion, vue="compacte")).content.decode()
    assert 'class="table jury-report compact"' in compact and 'class="table jury-report"' in full
    assert ">Parcours</a>" in full and ">Parcours</a>" not in compact  # parcours and groups left to the filters
    report = jury_report(scope=scope_for(clean_promotion.s3, year=True))
    row = report.rows[0]
    cell = row.ue_list[0]
    compact_row, full_row = row_of(compact, row.student.ine), row_of(full, row.student.ine)
    assert f'title="moyenne {cell.average_fr} · {cell.state_label}">{cell.code}</span>' in compact_row
    assert f">{cell.text}</span>" in full_row
    assert 'href="?vue=compacte"' in full and 'id="full-view"' in compact


def test_an_externally_validated_ue_is_marked_with_its_year_and_origin(client, users, clean_promotion):
    student = clean_promotion.students[1]
    ue = UE.objects.filter(semester=clean_promotion.s3.semester).order_by("order", "code").first()
    ExternalValidation.objects.create(student=student, ue=ue, code="ADM", average=Decimal("12.5"),
                                      origin="IUT de Lyon", date=datetime.date(2024, 6, 30))
    client.force_login(users["jury"])
    row = row_of(client.get(report_url(clean_promotion)).content.decode(), student.ine)
    assert ('<small class="origin" title="validée hors application (30/06/2024) – IUT de Lyon">ext. 2024</small>'
            in row)
    compact = row_of(client.get(report_url(clean_promotion, vue="compacte")).content.decode(), student.ine)
    assert ">ext.24</small>" in compact
    others = row_of(client.get(report_url(clean_promotion)).content.decode(), clean_promotion.students[2].ine)
    assert 'class="origin"' not in others


def test_a_decision_other_than_the_proposal_highlights_its_row(client, users, clean_promotion, decided_session):
    session = decided_session(clean_promotion)
    report = jury_report(scope=scope_of_session(session))
    row = next(r for r in report.rows if r.proposal and r.proposal != "RED")
    decision_override(enrolment=row.enrolment, level=JuryLevel.YEAR, subject="2", code="RED", reason="Absences",
                      user=users["jury"], session=session)
    client.force_login(users["jury"])
    page = client.get(report_url(clean_promotion)).content.decode()
    highlighted = re.findall(r'<tr data-ine="(\w+)" class="[^"]*\bdiffers\b', page)
    assert highlighted == [row.student.ine]
    assert f'title="Décision du jury (RED) différente de la proposition ({row.proposal})"' in row_of(page,
                                                                                                     row.student.ine)


def test_a_student_who_left_has_a_status_badge(client, users, promotion):
    left = Enrolment.objects.filter(semester_instance__in=(promotion.s3, promotion.s4)).exclude(
        status=EnrolmentStatus.ENROLLED).select_related("student").get()
    client.force_login(users["jury"])
    row = row_of(client.get(report_url(promotion)).content.decode(), left.student.ine)
    label = EnrolmentStatus.labels()[left.status]
    assert f'<span class="badge bad status-left" title="{label}">{left.status}</span>' in row
    assert 'class="left' in row
