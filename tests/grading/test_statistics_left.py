"""Students who left (DEM, DEF, ABAN) are left out of every class statistic, as in ScoDoc: an evaluation's, a module's
grid, a teacher's columns, a semester's bands and pass rates (their UE codes still counted in the bar), what a
student reads; « non saisies » counts the students still enrolled without a grade.

`graded`: DS1 12, 8, ABS; DS2 15, 9, EXC; TP 10, 10, 10 for Bernard, Dubois, Martin (by name)."""
import re
from collections import Counter
from decimal import Decimal as D

import pytest
from django.urls import reverse

from grading.engine.codes import EnrolmentStatus
from grading.models import Enrolment, Evaluation, Student
from grading.selectors.statistics import evaluation_statistics, instance_statistics, module_statistics
from grading.services.enrolments import enrolment_update
from grading.services.evaluations import evaluation_create
from grading.services.grades import grades_import

pytestmark = pytest.mark.django_db


def leave(enrolment, status=EnrolmentStatus.DEM):
    return enrolment_update(enrolment=enrolment, parcours=enrolment.parcours, status=status, is_repeat=False,
                            groups=list(enrolment.groups.all()))


def test_an_evaluations_statistics_neither_count_nor_await_a_student_who_left(graded, instance, module, enrolments):
    ds2 = Evaluation.objects.get(semester_instance=instance, title="DS2")
    before = evaluation_statistics(evaluation=graded).statistics
    assert (before.summary.count, before.summary.mean, before.missing) == (3, D("6.67"), 0)
    leave(enrolments[1])  # Dubois (8 in DS1, 9 in DS2) resigns
    instance.refresh_from_db()
    shown = evaluation_statistics(evaluation=graded).statistics  # 12 and ABS
    assert (shown.summary.count, shown.summary.mean, shown.summary.median, shown.summary.minimum,
            shown.summary.maximum, shown.absent, shown.missing) == (2, D("6.00"), D("6.00"), D("0.00"), D("12.00"),
                                                                    1, 0)
    assert instance_statistics(semester_instance=instance)[graded.pk] == shown  # what students read: the same
    rows = {row.evaluation.title: row.statistics for row in module_statistics(
        semester_instance=instance, evaluations=[graded, ds2])}
    assert rows["DS1"] == shown
    assert (rows["DS2"].summary.count, rows["DS2"].summary.mean, rows["DS2"].excused, rows["DS2"].missing) == (
        1, D("15.00"), 1, 0)  # 15, and Martin's EXC
    # a student enrolled late, without a grade: awaited, « non saisie » (and only them)
    Enrolment.objects.create(student=Student.objects.create(ine="L0000001", last_name="Zola", first_name="Léo"),
                             semester_instance=instance)
    instance.refresh_from_db()
    assert evaluation_statistics(evaluation=graded).statistics.missing == 1
    rows = module_statistics(semester_instance=instance, evaluations=[graded, ds2])
    assert [(row.statistics.summary.count, row.statistics.missing) for row in rows] == [(2, 1), (1, 1)]


def test_the_evaluations_block_says_those_who_left_are_not_counted(secretariat_client, graded, enrolments):
    leave(enrolments[1], EnrolmentStatus.DEF)
    page = secretariat_client.get(reverse("grading:evaluation_grid", args=[graded.pk])).content.decode()
    assert re.search(r"Notes \(dont ABS\)</th><td>2</td>", page) and re.search(r"Moyenne</th><td>6,00</td>", page)
    assert re.search(r"Non saisies</th><td>0</td>", page)
    assert "les étudiants partis (démission, défaillance, abandon) ne sont pas comptés" in page


def test_a_semesters_overview_leaves_out_those_who_left_from_bands_and_rates_not_from_codes(secretariat_client,
                                                                                           instance, graded,
                                                                                           enrolments):
    leave(enrolments[1])  # Dubois: 9,17 in both UEs
    response = secretariat_client.get(reverse("grading:semester_results", args=[instance.pk]))
    page, live, overview = response.content.decode(), response.context["live"], response.context["overview"]
    staying = {e.student_id for e, _ in response.context["rows"] if e.status == EnrolmentStatus.ENROLLED}
    assert len(staying) == 2 and overview.figures.left == 1
    for ue in live.ue_codes:
        averages = [D(cells[ue][0].replace(",", ".")) for student, cells in live.ues.items() if student in staying]
        bands = (sum(a < 8 for a in averages), sum(8 <= a < 10 for a in averages), sum(a >= 10 for a in averages))
        assert dict(overview.figures.bands)[ue] == bands == (1, 0, 1)  # Martin 5,00, Bernard 11,50
        passed = sum(cells[ue][1] == "ADM" for student, cells in live.ues.items() if student in staying)
        rate = overview.figures.rates[("Tous", ue)]
        assert (rate.passed, rate.total) == (passed, 2)
    # the bar of UE codes still counts every row, the student who left included
    codes = Counter(cells[ue][1] for cells in live.ues.values() for ue in live.ue_codes)
    drawn = {row.label: row.count for row in overview.decisions_chart.rows}
    assert drawn == dict(codes) and drawn["DEM"] == len(live.ue_codes) and sum(drawn.values()) == 3 * len(live.ue_codes)
    section = page.split('<section class="results-overview">')[1].split("</section>")[0]
    assert re.search(r'<th scope="row">Tous</th><td>50,0 % <span class="muted">\(1/2\)</span>', section)
    assert "hors démissions, défaillances et abandons : 1 étudiant parti, compté dans les décisions seulement" \
        in section


def test_a_teachers_columns_leave_out_a_student_who_left(secretariat_client, instance, graded, enrolments):
    leave(enrolments[2], EnrolmentStatus.ABAN)  # Martin: R1.01 average 0 (ABS, EXC)
    response = secretariat_client.get(reverse("grading:teacher_results", args=[instance.pk]))
    statistics = {column.label: column.summary for column in response.context["column_statistics"]}
    module_columns = [label for label in statistics if label.startswith("R1.01")]
    assert module_columns
    for label in module_columns:  # Bernard 13, Dubois 8,33
        summary = statistics[label]
        assert (summary.count, summary.mean, summary.minimum, summary.maximum) == (
            2, D("10.67"), D("8.33"), D("13.00"))
    assert "hors démissions, défaillances et abandons" in response.content.decode()


def test_a_student_reads_the_figures_of_those_still_enrolled_and_nothing_under_six(client, users,
                                                                                   make_semester_instance):
    instance = make_semester_instance(students=7)
    enrolments = list(Enrolment.objects.filter(semester_instance=instance).select_related("student").order_by("pk"))
    me = enrolments[0].student
    me.user = users["student"]
    me.save()
    module = instance.semester.modules.order_by("code").first()
    evaluation = evaluation_create(semester_instance=instance, module=module, title="QCM")
    grades_import(evaluation=evaluation, user=users["secretariat"], filename="x",
                  rows=[(e.pk, v) for e, v in zip(enrolments, ["11", "4", "6", "13", "17", "8", "20"], strict=True)])
    Evaluation.objects.filter(pk=evaluation.pk).update(is_published=True)
    client.force_login(users["student"])
    leave(enrolments[6])  # the 20 resigns: six results remain, 4 to 17
    page = client.get(reverse("portal:my_results")).content.decode()
    assert "moyenne 9,83 · min. 4,00 · max. 17,00" in page and "(6 notes)" in page
    leave(enrolments[5], EnrolmentStatus.DEF)  # five remain: the student sees nothing
    page = client.get(reverse("portal:my_results")).content.decode()
    assert "QCM" in page and "class-statistics" not in page
