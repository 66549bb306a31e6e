"""The statistics on the pages: under an evaluation's grid (drawn again after a save), under a module's grid, and
the promotion's flow page for Direction and the jury."""
import re

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
