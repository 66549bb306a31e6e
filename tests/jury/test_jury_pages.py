"""The jury's pages: who reads them, the filters and the sort, the student's sheet."""
import pytest
from django.urls import reverse
from django.utils.html import escape

pytestmark = pytest.mark.django_db


def report_url(promotion, kind="annee"):
    return reverse("jury:report", args=[kind, promotion.s3.pk])


@pytest.mark.parametrize("role, status", [("jury", 200), ("direction", 200), ("secretariat", 200),
                                          ("teacher", 403), ("student", 403)])
def test_the_report_is_read_by_the_jury_and_the_office_never_by_teachers_or_students(client, users, promotion,
                                                                                   role, status):
    client.force_login(users[role])
    assert client.get(report_url(promotion)).status_code == status


def test_the_report_lists_every_student_with_counts_and_blockers(client, users, promotion):
    client.force_login(users["jury"])
    html = client.get(report_url(promotion)).content.decode()
    assert html.count("data-ine=") == 12
    assert "Évaluations incomplètes (R2)" in html and "1 note manquante" in html
    assert "RCUE C1-2 Spécifier" in html  # an RCUE column is headed by the competence's name


def test_the_filter_a_examiner_keeps_the_rows_to_examine(client, users, promotion):
    client.force_login(users["jury"])
    response = client.get(report_url(promotion), {"examiner": "on"})
    rows = response.context["table"].rows
    assert len(rows) == 11  # every registered student waits for the incomplete evaluation; the DEM one does not
    assert all(row.record.to_review for row in rows)


def test_the_filters_by_proposal_and_parcours(client, users, clean_promotion):
    client.force_login(users["jury"])
    report = client.get(report_url(clean_promotion)).context["report"]
    proposal = report.rows[0].proposal
    response = client.get(report_url(clean_promotion), {"proposition": proposal, "parcours": "MPI"})
    assert {row.record.proposal for row in response.context["table"].rows} == {proposal}
    assert len(response.context["table"].rows) == sum(1 for r in report.rows if r.proposal == proposal)


def test_the_table_sorts_on_a_ue_column(client, users, clean_promotion):
    client.force_login(users["jury"])
    response = client.get(report_url(clean_promotion), {"sort": "-ue0"})
    averages = [row.record.ue_list[0].sort_key for row in response.context["table"].rows]
    assert averages == sorted(averages, reverse=True)


def test_an_unknown_sort_or_filter_is_ignored(client, users, clean_promotion):
    client.force_login(users["jury"])
    response = client.get(report_url(clean_promotion), {"sort": "student__password", "parcours": "XYZ"})
    assert response.status_code == 200 and len(response.context["table"].rows) == 10


def test_the_student_sheet_shows_the_figures_and_the_engines_explanation(client, users, clean_promotion):
    client.force_login(users["jury"])
    student = clean_promotion.students[0]
    response = client.get(reverse("jury:sheet", args=["annee", clean_promotion.s3.pk, student.pk]))
    sheet = response.context["sheet"]
    html = response.content.decode()
    assert [u.code for u in sheet.ues] == ["UE3.1", "UE3.2", "UE3.3", "UE3.4", "UE4.1", "UE4.2", "UE4.3", "UE4.4"]
    assert all(len(u.modules) == 5 and all(m.coefficient for m in u.modules) for u in sheet.ues)
    assert sheet.repeats == 0 and sheet.proposal in ("ADM", "PASD", "RED")
    assert sheet.explain[0].startswith("BUT2")  # this year's heading first
    assert any(line.endswith("— R16") or line.endswith("— R14") for line in sheet.explain)  # the rule id as a tag
    assert f"<h3>{escape(sheet.explain[0])}</h3>" in html
    assert all(escape(line) in html for line in sheet.explain)


def test_the_jury_home_lists_the_promotion(client, users, promotion):
    client.force_login(users["secretariat"])
    html = client.get(reverse("jury:home")).content.decode()
    assert report_url(promotion) in html
