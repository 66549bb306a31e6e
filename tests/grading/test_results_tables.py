"""The results tables: sortable, filterable, UE titles in the headers, averages with the decimal comma; a teacher
sees the averages of their own modules."""
import html
import re

import pytest
from django.urls import reverse

from butgmp.roles import Role
from grading.models import Group

pytestmark = pytest.mark.django_db


@pytest.fixture
def graded(graded, instance):
    """The shared graded semester (tests/grading/conftest.py), UE1.1 titled « Spécifier »."""
    instance.semester.ues.filter(code="UE1.1").update(title="Spécifier")
    return graded

def table_rows(response) -> list[list[str]]:
    """Return the body rows of the rendered results table as lists of cell texts (the statistics' tables aside)."""
    page = re.sub(r'<section class="(results-overview|column-statistics-block)">.*?</section>', "",
                  response.content.decode(), flags=re.S)
    body = page.split("<tbody")[1].split("</tbody>")[0]
    rows = []
    for row in body.split("<tr")[1:]:
        cells = [html.unescape(c.split("</td>")[0]) for c in row.split("<td")[1:]]
        rows.append([" ".join(c.split(">", 1)[1].replace("</a>", "").split()) for c in cells])
    return rows


def strip_tags(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text)


def test_the_results_table_prints_averages_with_a_decimal_comma(secretariat_client, instance, graded):
    response = secretariat_client.get(reverse("grading:semester_results", args=[instance.pk]))
    rows = [[strip_tags(c) for c in row] for row in table_rows(response)]
    # UE average = (2×R1.01 + 2×R1.02)/4: Bernard (13+10)/2 = 11,50; Dubois (8,333…+10)/2 = 9,17; Martin 5,00.
    assert [row[3:] for row in rows] == [["11,50 ADM", "11,50 ADM"], ["9,17 AJ", "9,17 AJ"],
                                         ["5,00 AJ", "5,00 AJ"]]
    assert "11.50" not in response.content.decode()


def test_the_results_table_carries_the_ue_titles_and_sorts_by_an_average(secretariat_client, instance, graded):
    response = secretariat_client.get(reverse("grading:semester_results", args=[instance.pk]), {"tri": "ue_0"})
    page = response.content.decode()
    assert 'title="Spécifier"' in page
    assert [strip_tags(row[0]) for row in table_rows(response)] == ["MARTIN Prénom1", "DUBOIS Prénom3",
                                                                     "BERNARD Prénom2"]
    descending = secretariat_client.get(reverse("grading:semester_results", args=[instance.pk]), {"tri": "-ue_0"})
    assert [strip_tags(row[0]) for row in table_rows(descending)][0] == "BERNARD Prénom2"


def test_the_results_table_filters_by_group(secretariat_client, instance, graded):
    td2 = Group.objects.get(semester_instance=instance, name="TD2")
    response = secretariat_client.get(reverse("grading:semester_results", args=[instance.pk]), {"groupe": td2.pk})
    assert [strip_tags(row[0]) for row in table_rows(response)] == ["BERNARD Prénom2"]


def test_a_teacher_sees_the_averages_of_their_modules_and_of_the_ues_they_feed(client, users, instance, graded,
                                                                                responsible):
    client.force_login(users["teacher"])
    response = client.get(reverse("grading:teacher_results", args=[instance.pk]))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    # R1.01's evaluations weigh the same towards both UEs: one column for both, saying why
    assert "R1.01 → UE1.1 = UE1.2" in page and "mêmes poids" in page and "R1.02 →" not in page
    # and says so on the page, not only in the header's tooltip
    assert re.search(r'<p class="muted merged-column"><strong>R1.01 → UE1.1 = UE1.2</strong> : moyennes identiques '
                     r"vers UE1.1 et UE1.2 \(les évaluations du module ont les mêmes poids", page)
    rows = [[strip_tags(c) for c in row] for row in table_rows(response)]
    # R1.01 towards both UEs: Bernard 13,00, Dubois 8,33, Martin 0,00; then the UE averages.
    assert [row[3:] for row in rows] == [["13,00", "11,50", "11,50"], ["8,33", "9,17", "9,17"],
                                         ["0,00", "5,00", "5,00"]]
    # and each column's statistics under the table: R1.01's mean (13 + 8,33… + 0) / 3 from the shown 8,33
    assert re.search(r"R1.01 → UE1.1 = UE1.2</th>\s*<td>3</td><td>7,11</td>", page)
    assert reverse("grading:teacher_results", args=[instance.pk]) in client.get(
        reverse("grading:semester_detail", args=[instance.pk])).content.decode()


def test_a_teacher_without_a_module_in_the_semester_is_refused(client, make_user, instance, graded):
    client.force_login(make_user(Role.TEACHER))
    assert client.get(reverse("grading:teacher_results", args=[instance.pk])).status_code == 403


def test_the_jury_does_not_use_the_teacher_page_but_reads_the_results(client, users, instance, graded):
    client.force_login(users["jury"])
    assert client.get(reverse("grading:semester_results", args=[instance.pk])).status_code == 200
