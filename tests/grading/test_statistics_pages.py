"""The statistics on the pages: under an evaluation's grid (drawn again after a save), under a module's grid, and
the promotion's flow page for Direction and the jury."""
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.urls import reverse

from grading.models import Enrolment

pytestmark = pytest.mark.django_db


def test_an_evaluations_page_shows_its_statistics_and_the_block_follows_a_save(secretariat_client, graded,
                                                                              enrolments):
    page = secretariat_client.get(reverse("grading:evaluation_grid", args=[graded.pk])).content.decode()
    # DS1: 12, 8, ABS -> mean 6,67, median 8,00, minimum 0,00 (ABS), maximum 12,00
    assert re.search(r"Moyenne</th><td>6,67</td>", page) and re.search(r"Maximum</th><td>12,00</td>", page)
    assert 'data-statistics-url="' + reverse("grading:evaluation_statistics", args=[graded.pk]) in page
    saved = secretariat_client.post(reverse("grading:grade_save", args=[graded.pk]),
                                    {"enrolment": enrolments[2].pk, "value": "16", "version": 1})
    assert saved.json()["ok"]
    block = secretariat_client.get(reverse("grading:evaluation_statistics", args=[graded.pk])).content.decode()
    assert block.strip().startswith('<section class="evaluation-statistics" id="grid-statistics"')
    assert re.search(r"Moyenne</th><td>12,00</td>", block) and re.search(r"ABS / EXC / ATT</th><td>0 / 0 / 0", block)


def test_a_modules_grid_shows_each_evaluations_statistics(secretariat_client, graded, instance, module):
    page = secretariat_client.get(reverse("grading:module_grid", args=[instance.pk, module.pk])).content.decode()
    rows = re.findall(r'<tr><th scope="row">(DS\d)</th><td>(\d+)</td><td>([\d,–]+)</td>', page)
    assert rows == [("DS1", "3", "6,67"), ("DS2", "2", "12,00")]  # DS2: 15, 9 and an EXC left out
    Enrolment.objects.filter(pk=Enrolment.objects.filter(semester_instance=instance).first().pk).update(
        status="DEM")  # a student who left is no longer awaited
    block = secretariat_client.get(reverse("grading:module_statistics", args=[instance.pk, module.pk]))
    assert block.status_code == 200 and "<svg" in block.content.decode()


def test_a_teacher_without_the_module_gets_no_statistics(client, make_user, graded):
    from butgmp.roles import Role

    client.force_login(make_user(Role.TEACHER))
    assert client.get(reverse("grading:evaluation_statistics", args=[graded.pk])).status_code == 403


def test_the_promotion_flow_page_is_for_direction_and_jury(client, users, instance):
    client.force_login(users["teacher"])
    assert client.get(reverse("grading:cohort_flow")).status_code == 403
    client.force_login(users["jury"])
    page = client.get(reverse("grading:cohort_flow")).content.decode()
    assert "<svg" in page and 'role="img"' in page and f"{instance} : 3 étudiants" in page
    assert re.search(r'<th scope="row">2025-2026</th><td>3</td>', page)
    assert client.get(reverse("grading:cohort_flow"), {"semestre": 999999}).status_code == 200


def test_the_jury_home_links_the_promotion_flow_for_direction_and_jury_only(client, users):
    link = reverse("grading:cohort_flow")
    client.force_login(users["jury"])
    assert link in client.get(reverse("jury:home")).content.decode()
    client.force_login(users["secretariat"])
    assert link not in client.get(reverse("jury:home")).content.decode()


def svg_texts(markup: str) -> list[str]:
    """Return the texts an SVG chart writes (its title and tooltips aside)."""
    import defusedxml.ElementTree as ET

    root = ET.fromstring(markup)
    return ["".join(t.itertext()).strip() for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_a_semesters_results_show_charts_with_the_figures_of_their_tables_and_of_the_rows(secretariat_client,
                                                                                       instance, graded):
    response = secretariat_client.get(reverse("grading:semester_results", args=[instance.pk]))
    page, live = response.content.decode(), response.context["live"]
    overview = page.split('<section class="results-overview">')[1].split("</section>")[0]
    charts = re.findall(r"<svg .*?</svg>", overview, re.S)
    assert len(charts) == 2 and all('role="img"' in chart and "<title>" in chart for chart in charts)
    bands_chart, decisions_chart = charts
    # Each UE's averages as the rows show them (Bernard 11,50 ADM, Dubois 9,17 AJ, Martin 5,00 AJ in both UEs):
    # the bands table, and the chart beside it, count the same students.
    for ue in live.ue_codes:
        averages = [Decimal(cells[ue][0].replace(",", ".")) for cells in live.ues.values()]
        bands = [sum(a < 8 for a in averages), sum(8 <= a < 10 for a in averages), sum(a >= 10 for a in averages)]
        assert bands == [1, 1, 1]
        assert re.search(rf'<tr><th scope="row">{ue}</th>' + "".join(rf"<td>{n}</td>" for n in bands), overview)
    assert [t for t in svg_texts(bands_chart) if t in live.ue_codes] == live.ue_codes
    counts = re.findall(r'<text style="font-weight: 700[^"]*"[^>]*>(\d+)</text>', bands_chart)
    assert counts == ["1", "1", "1"] * len(live.ue_codes)  # each band's count, written in each UE's bar
    # the UE codes counted: the bar chart writes them as its table does, as many as the rows hold
    codes = Counter(cells[ue][1] for cells in live.ues.values() for ue in live.ue_codes)
    assert dict(codes) == {"ADM": 2, "AJ": 4}
    drawn = svg_texts(decisions_chart)
    assert dict(zip(drawn[::2], map(int, drawn[1::2]), strict=True)) == codes
    for code, n in codes.items():
        assert f'<tr><th scope="row">{code}</th><td>{n}</td></tr>' in overview
    # pass rates: everybody, each group, the parcours (a UE passes with ADM: 1 of 3)
    assert re.search(r'<th scope="row">Tous</th><td>33,3 % <span class="muted">\(1/3\)</span>', overview)
    groups = {group.name for enrolment, _ in response.context["rows"] for group in enrolment.groups.all()}
    assert groups and all(f'<th scope="row">{group}</th>' in overview for group in groups)
    assert '<th scope="row">Parcours MPI</th>' in overview
