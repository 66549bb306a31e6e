"""A student reads the promotion's figures of a published evaluation graded for six students or more, with their own
grade marked, and nothing under six (EXC and ATT do not count), nor for an unpublished evaluation."""
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from grading.models import Enrolment, Evaluation
from grading.services.evaluations import evaluation_create
from grading.services.grades import grade_set, grades_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def seven(make_semester_instance, users):
    instance = make_semester_instance(students=7)
    enrolments = list(Enrolment.objects.filter(semester_instance=instance).select_related("student").order_by("pk"))
    me = enrolments[0].student
    me.user = users["student"]
    me.save()
    module = instance.semester.modules.order_by("code").first()

    def evaluation(title, values, published=True):
        created = evaluation_create(semester_instance=instance, module=module, title=title)
        grades_import(evaluation=created, user=users["secretariat"], filename="x",
                      rows=[(e.pk, v) for e, v in zip(enrolments, values, strict=True)])
        Evaluation.objects.filter(pk=created.pk).update(is_published=published)
        return created

    return evaluation


def details_of(page, title):
    found = re.search(rf"<td>{title}\s*<details class=\"class-statistics\">(.*?)</details>", page, re.S)
    return found.group(1) if found else None


def test_six_grades_show_the_promotions_figures_with_mine_marked(client, users, seven):
    seven("DS1", ["11", "4", "ABS", "13", "17", "6", "EXC"])  # six results: ABS counts, EXC does not
    client.force_login(users["student"])
    page = client.get(reverse("portal:my_results")).content.decode()
    shown = details_of(page, "DS1")
    assert "moyenne 8,50 · min. 0,00 · max. 17,00" in shown and "(6 notes)" in shown
    assert "10–12 (vous)" in shown and "▲ vous" in shown
    counts = re.findall(r"<td>(\d+)</td>", shown.split("<tbody>")[1])
    assert counts == ["1", "0", "1", "1", "0", "1", "1", "0", "1", "0"]
    assert "Martin" not in shown and "Bernard" not in shown  # counts only, nobody named
    # the module feeds both UEs: under each, in the wide table and in the narrow cards
    assert page.count('class="class-statistics"') == 4


def test_fewer_than_six_results_or_an_unpublished_evaluation_show_nothing(client, users, seven):
    seven("DS2", ["11", "4", "ATT", "13", "17", "EXC", "EXC"])  # five results
    seven("DS3", ["11", "4", "9", "13", "17", "6", "8"], published=False)
    client.force_login(users["student"])
    page = client.get(reverse("portal:my_results")).content.decode()
    assert "DS2" in page and "class-statistics" not in page
    assert details_of(page, "DS3") is None and "Decimal" not in page


def test_the_figures_follow_a_new_grade(client, users, seven):
    evaluation = seven("DS4", ["10", "10", "10", "10", "10", "", ""])
    client.force_login(users["student"])
    assert "class-statistics" not in client.get(reverse("portal:my_results")).content.decode()
    other = Enrolment.objects.filter(semester_instance=evaluation.semester_instance).order_by("pk")[5]
    grade_set(evaluation=evaluation, enrolment=other, raw="16", user=users["secretariat"],
              expected_version=0)
    page = client.get(reverse("portal:my_results")).content.decode()
    assert "moyenne 11,00" in details_of(page, "DS4") and Decimal("11") == (5 * 10 + 16) / 6
