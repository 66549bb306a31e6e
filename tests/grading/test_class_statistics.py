"""Class statistics read from the database: an evaluation's figures, what a student may see, a results overview."""
from decimal import Decimal as D

import defusedxml.ElementTree as ET
from django.template.loader import render_to_string

from grading.models import Enrolment, Group, Student
from grading.selectors.statistics import (
    column_statistics,
    evaluation_statistics,
    for_student,
    instance_statistics,
    lines_from_live,
    merge_identical,
    results_overview,
    ue_decision_counts,
    weight_signatures,
)
from grading.services.evaluations import evaluation_create
from grading.services.grades import grade_set, grades_import


def test_an_evaluations_statistics_are_its_grades_with_abs_as_zero(graded, django_assert_num_queries):
    with django_assert_num_queries(2):
        shown = evaluation_statistics(evaluation=graded)  # DS1: 12, 8, ABS
    summary = shown.statistics.summary
    assert (summary.count, summary.mean, summary.median, summary.minimum, summary.maximum) == (
        3, D("6.67"), D("8.00"), D("0.00"), D("12.00"))
    assert (shown.statistics.absent, shown.statistics.excused, shown.statistics.missing) == (1, 0, 0)
    html = render_to_string("grading/_evaluation_statistics.html", {"shown": shown, "evaluation": graded})
    assert "6,67" in html and "<title>Répartition des notes : DS1</title>" in html
    svg = ET.fromstring(html[html.index("<svg"):html.index("</svg>") + 6])
    assert [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text") if t.text and t.text.isdigit()] == [
        "1", "1", "1"]


def test_the_statistics_of_an_instance_follow_each_save(graded, instance, enrolments, users):
    before = instance_statistics(semester_instance=instance)[graded.pk]
    grade_set(evaluation=graded, enrolment=enrolments[2], raw="20", user=users["secretariat"],
              expected_version=1)
    instance.refresh_from_db()
    after = instance_statistics(semester_instance=instance)[graded.pk]
    assert (before.summary.maximum, after.summary.maximum, after.absent) == (D("12.00"), D("20.00"), 0)


def test_an_instances_statistics_are_computed_once_per_results_version(graded, instance, django_assert_num_queries):
    instance.refresh_from_db()
    first = instance_statistics(semester_instance=instance)
    with django_assert_num_queries(0):  # the same version: read from the cache
        assert instance_statistics(semester_instance=instance) == first
    assert first[graded.pk].summary.count == 3  # DS1: 12, 8, ABS


def more_students(instance, n):
    return [Enrolment.objects.create(student=Student.objects.create(ine=f"X{instance.pk}{i:05d}", last_name="N",
                                                                    first_name="P"), semester_instance=instance)
            for i in range(n)]


def test_a_student_sees_nothing_under_six_results_and_their_own_bar_from_six(instance, module, users):
    evaluation = evaluation_create(semester_instance=instance, module=module, title="QCM")
    enrolments = list(Enrolment.objects.filter(semester_instance=instance)) + more_students(instance, 4)
    values = ["4", "6", "11", "13", "EXC", "ATT", "17"]  # five numbers: EXC and ATT do not count
    grades_import(evaluation=evaluation, user=users["secretariat"], filename="x",
                  rows=[(e.pk, v) for e, v in zip(enrolments, values, strict=True)])
    instance.refresh_from_db()
    stats = instance_statistics(semester_instance=instance)[evaluation.pk]
    assert stats.graded == 5
    assert for_student(stats, evaluation_id=evaluation.pk, title="QCM", value=D("11"), code=None,
                       max_score=D("20")) is None
    grade_set(evaluation=evaluation, enrolment=enrolments[4], raw="ABS", user=users["secretariat"],
              expected_version=1)
    instance.refresh_from_db()
    stats = instance_statistics(semester_instance=instance)[evaluation.pk]
    seen = for_student(stats, evaluation_id=evaluation.pk, title="QCM", value=D("11"), code=None, max_score=D("20"))
    assert (seen.count, seen.mean, seen.minimum, seen.maximum) == (6, D("8.50"), D("0.00"), D("17.00"))
    assert [bar.count for bar in seen.chart.bars] == [1, 0, 1, 1, 0, 1, 1, 0, 1, 0]  # 0, 4, 6, 11, 13, 17
    assert [i for i, bar in enumerate(seen.chart.bars) if bar.marked] == [5]  # 11 is in 10–12
    markup = render_to_string("charts/histogram.svg", {"chart": seen.chart})
    assert "Nom" not in markup and "N " not in markup  # counts only: nobody named


def test_a_semester_overview_counts_bands_decisions_and_rates_per_group(instance, enrolments):
    td1 = Group.objects.get(semester_instance=instance, name="TD1")
    enrolments = list(Enrolment.objects.filter(semester_instance=instance).prefetch_related("groups")
                      .select_related("parcours").order_by("pk"))
    ues = {enrolments[0].student_id: {"UE1.1": ("12,00", "ADM"), "UE1.2": ("7,50", "AJ")},
           enrolments[1].student_id: {"UE1.1": ("9,99", "AJ"), "UE1.2": ("8,00", "AJ")},
           enrolments[2].student_id: {"UE1.1": ("15,00", "ADM"), "UE1.2": ("10,00", "ADM")}}
    lines = lines_from_live(enrolments=enrolments, ues=ues)
    assert lines[0].keys == (td1.name, "Parcours MPI")
    result = results_overview(lines=lines, subjects=["UE1.1", "UE1.2"], title="Répartition",
                              decisions=ue_decision_counts(lines), decisions_title="Codes des UE")
    assert result.figures.bands == (("UE1.1", (0, 1, 2)), ("UE1.2", (1, 1, 1)))
    assert [(row.label, row.count) for row in result.decisions_chart.rows] == [("ADM", 3), ("AJ", 3)]
    rates = {(key, subject): (r.passed, r.total) for (key, subject), r in result.figures.rates.items()}
    assert rates[("Tous", "UE1.1")] == (2, 3) and rates[("TD1", "UE1.1")] == (2, 2) and rates[("TD2", "UE1.2")] == (
        0, 1)
    html = render_to_string("grading/_results_overview.html", {"overview": result, "subject_label": "UE"})
    assert html.count("<svg") == 2 and "66,7 %" in html and "<title>Répartition</title>" in html


def test_columns_of_one_module_with_proportional_weights_are_merged_and_explained(instance, module, other_module):
    ue1, ue2 = instance.semester.ues.order_by("code")
    evaluation_create(semester_instance=instance, module=module, title="DS1",
                      weights={ue1: D("1"), ue2: D("2")})
    evaluation_create(semester_instance=instance, module=module, title="DS2",
                      weights={ue1: D("0.5"), ue2: D("1")})
    evaluation_create(semester_instance=instance, module=other_module, title="TP",
                      weights={ue1: D("1"), ue2: D("0")})
    pairs = [("m_0", module.pk, ue1.code), ("m_1", module.pk, ue2.code), ("m_2", other_module.pk, ue1.code),
             ("m_3", other_module.pk, ue2.code)]
    signatures = weight_signatures(semester_instance=instance, pairs=pairs)
    assert signatures["m_0"] == signatures["m_1"] == (1, D("0.5"))
    assert "m_3" not in signatures  # weight 0 everywhere: never an average
    columns = [(key, f"{code} → {ue}", f"{code} : moyenne vers {ue}")
               for (key, _, ue), code in zip(pairs, ["R1.01", "R1.01", "R1.02", "R1.02"], strict=True)]
    columns.append(("u_0", "Moy. UE1.1", "UE1.1"))
    merged = merge_identical(columns=columns, signatures=signatures,
                             module_of={"m_0": "R1.01", "m_1": "R1.01", "m_2": "R1.02", "m_3": "R1.02"})
    assert [label for _, label, _ in merged] == [
        f"R1.01 → {ue1.code} = {ue2.code}", f"R1.02 → {ue1.code}", f"R1.02 → {ue2.code}", "Moy. UE1.1"]
    assert "poids proportionnels" in merged[0][2]


def test_each_column_has_its_statistics_and_a_small_distribution():
    stats = column_statistics(columns=[("m_0", "R3.01 → UE3.2", "")],
                              values={"m_0": ["12,00", "7,99", None, "9,99", "15,50"]})
    summary = stats[0].summary
    assert (summary.count, summary.mean, summary.minimum, summary.maximum, summary.bands) == (
        4, D("11.37"), D("7.99"), D("15.50"), (1, 1, 2))
    markup = render_to_string("grading/_column_statistics.html", {"column_statistics": stats})
    assert "11,37" in markup and "<title>Répartition des moyennes : R3.01 → UE3.2</title>" in markup
