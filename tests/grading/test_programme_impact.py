"""Editing a programme used by open semesters: the engine's impact on a copy of the matrix, then confirmation."""
import html
from decimal import Decimal

import pytest
from django import forms
from django.urls import reverse

from curriculum.editing import CellEdit, MatrixEdit, UEEdit, proposal
from curriculum.matrix_form import cell_name
from curriculum.models import ModuleUE, ProgrammeChange
from curriculum.selectors import get_programme_summary
from grading.loaders import load_cohort
from grading.programme_impact import edited_cohort, impact, programme_instances
from tests.grading.programme_fixtures import cohort, outcomes  # noqa: F401 — fixtures

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]


def changed_students(before: dict, after: dict) -> tuple[int, int, int]:
    """Count, independently of the code under test, students whose UE codes / year proposal differ."""
    ue = sum(1 for sid in before if before[sid][0] != after[sid][0])
    year = sum(1 for sid in before if before[sid][1] != after[sid][1])
    either = sum(1 for sid in before if before[sid] != after[sid])
    return ue, year, either


def edit_page(client, programme_code: str):
    return reverse("curriculum:matrix_edit", args=[programme_code, 1])


def table(client, url) -> dict:
    form = client.get(url).context["form"]
    return {name: "" if form[name].value() is None else str(form[name].value())
            for name, field in form.fields.items() if not isinstance(field, forms.BooleanField)}


def r102_in_ue11(instance) -> ModuleUE:
    return ModuleUE.objects.get(module__semester=instance.semester, module__code="R1.02", ue__code="UE1.1")


def test_the_impact_counts_equal_the_engine_s_on_a_small_cohort(cohort):  # noqa: F811
    programme = get_programme_summary(code=cohort.semester.programme.code)
    semester = programme.semester(1)
    row = r102_in_ue11(cohort)
    edit = MatrixEdit(cells={(row.module_id, row.ue_id): CellEdit(present=True, coefficient=Decimal("6"))})
    report = impact(proposal(programme, semester, edit))
    assert row.coefficient == 2  # nothing saved

    before = outcomes(cohort)
    ModuleUE.objects.filter(pk=row.pk).update(coefficient=Decimal("6"))  # the same change, saved this time
    after = outcomes(cohort)
    ue, year, either = changed_students(before, after)
    assert either == 2  # by hand: 14/7 and 12/9 fall below 10 in UE1.1 (8,75 and 9,75)
    [item] = report.instances
    assert (item.students, item.ue_code_changed, item.year_changed, item.changed) == (4, ue, year, either)
    assert (report.students, report.changed) == (4, either)
    assert sorted(line for d in item.details for line in d.changes) == ["UE1.1 : ADM → AJ", "UE1.1 : ADM → AJ"]


def test_the_edited_copy_leaves_the_loaded_cohort_untouched(cohort):  # noqa: F811
    programme = get_programme_summary(code=cohort.semester.programme.code)
    semester = programme.semester(1)
    row = r102_in_ue11(cohort)
    ue = semester.ues[0]
    edit = MatrixEdit(cells={(row.module_id, row.ue_id): CellEdit(present=True, coefficient=Decimal("6"))},
                      ues={ue.id: UEEdit(ects=Decimal("14"), rcue_coefficient=ue.rcue_coefficient)})
    loaded = load_cohort(semester_instance=cohort)
    copy = edited_cohort(loaded, proposal(programme, semester, edit))
    assert loaded.modules["R1.02"].coefficients["UE1.1"] == 2
    assert copy.modules["R1.02"].coefficients["UE1.1"] == 6
    assert copy.modules["R1.01"] == loaded.modules["R1.01"]
    assert (loaded.ues["UE1.1"].ects, copy.ues["UE1.1"].ects) == (15, 14)
    assert copy.runs is loaded.runs and copy.students is loaded.students


def test_the_instances_of_a_programme_come_with_their_lock_and_students(cohort, django_assert_num_queries):  # noqa: F811
    with django_assert_num_queries(1):
        [use] = programme_instances(cohort.semester.programme_id)
    assert (use.id, use.semester_number, use.students, use.is_locked, use.academic_year, use.start_year) == (
        cohort.pk, 1, 4, False, "2025-2026", 2025)


def test_the_page_shows_the_impact_and_saves_only_on_confirmation(client, users, cohort):  # noqa: F811
    client.force_login(users["direction"])
    url = edit_page(client, cohort.semester.programme.code)
    row = r102_in_ue11(cohort)
    data = table(client, url)
    data[cell_name(row.module_id, row.ue_id)] = "6"
    before = outcomes(cohort)

    response = client.post(url, data)
    preview = response.context["preview"]
    assert preview is not None
    assert r102_in_ue11(cohort).coefficient == 2 and not ProgrammeChange.objects.exists()
    page = html.unescape(response.content.decode())
    assert "Impact : <strong>2 étudiants sur 4</strong>" in page
    assert [str(c) for c in preview.changes] == ["S1 R1.02 × UE1.1 – coefficient : 2 → 6"]

    response = client.post(url, {**data, "digest": preview.digest, "confirm": "1"}, follow=True)
    assert response.redirect_chain
    assert r102_in_ue11(cohort).coefficient == 6
    assert ProgrammeChange.objects.get().new_value == "6"
    assert changed_students(before, outcomes(cohort))[2] == preview.impact.changed


def test_a_confirmation_of_another_table_than_the_one_previewed_shows_a_new_preview(client, users, cohort):  # noqa: F811
    client.force_login(users["direction"])
    url = edit_page(client, cohort.semester.programme.code)
    row = r102_in_ue11(cohort)
    data = table(client, url)
    data[cell_name(row.module_id, row.ue_id)] = "6"
    preview = client.post(url, data).context["preview"]
    data[cell_name(row.module_id, row.ue_id)] = "7"  # typed after the preview
    response = client.post(url, {**data, "digest": preview.digest, "confirm": "1"})
    assert response.status_code == 200
    assert [str(c) for c in response.context["preview"].changes] == ["S1 R1.02 × UE1.1 – coefficient : 2 → 7"]
    assert r102_in_ue11(cohort).coefficient == 2
