"""The results, « Moyennes de mes modules » and enrolment tables as .xlsx: the page's rows in the page's order, the
averages as numbers equal to the engine's, the page's access (a teacher: their modules only), and no cell a
formula, whatever the names hold."""
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from butgmp.spreadsheets import formula_cells
from grading.engine.codes import EnrolmentStatus
from grading.models import Enrolment, Group
from grading.selectors.live_results import live_results
from grading.table_exports import ENROLMENT_HEADERS, HEADER_ROW, STUDENT_HEADERS
from tests.grading.test_results_tables import strip_tags, table_rows

pytestmark = pytest.mark.django_db

FORMULA_NAME = "=HYPERLINK(\"http://evil.example\",\"x\")"


@pytest.fixture
def graded(graded, instance, enrolments):
    """The shared graded semester; one student named as a formula, another who left (DEM)."""
    student = enrolments[0].student
    student.first_name = FORMULA_NAME
    student.save(update_fields=["first_name"])
    Enrolment.objects.filter(pk=enrolments[2].pk).update(status=EnrolmentStatus.DEM)
    return graded


def sheet_of(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert formula_cells(response.content) == []  # nothing a spreadsheet program would evaluate
    ws = load_workbook(BytesIO(response.content)).active
    header = [c.value for c in ws[HEADER_ROW]]
    rows = [list(r) for r in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]
    return header, rows


def as_number(shown: str | None):
    return None if shown in (None, "", "–") else Decimal(shown.replace(",", "."))


def read(value):
    """A number read back from the workbook, exactly as written (two decimals)."""
    return None if value is None else Decimal(str(value))


def test_the_results_table_exports_the_engines_averages_in_the_pages_order(secretariat_client, instance, graded,
                                                                            enrolments):
    query = {"tri": "-ue_0"}
    page = secretariat_client.get(reverse("grading:semester_results", args=[instance.pk]), query)
    assert reverse("grading:semester_results_export", args=[instance.pk]) in page.content.decode()
    header, rows = sheet_of(secretariat_client.get(reverse("grading:semester_results_export", args=[instance.pk]),
                                                   query))
    live = live_results(semester_instance=instance)
    assert header == STUDENT_HEADERS + [h for code in live.ue_codes for h in (f"{code} moyenne", f"{code} code")]
    shown = [strip_tags(row[0]).split(" Démission")[0] for row in table_rows(page)]
    assert [row[0] for row in rows] == shown  # the page's order (sorted by the first UE, descending)
    by_ine = {e.student.ine: e for e in enrolments}
    for row in rows:
        student = by_ine[row[1]].student
        for i, code in enumerate(live.ue_codes):
            average, decision = live.ues[student.pk][code]
            assert (read(row[4 + 2 * i]), row[5 + 2 * i]) == (as_number(average), decision)
            assert isinstance(row[4 + 2 * i], float | int)  # a number a spreadsheet sums, not text
    assert any(row[0].endswith(FORMULA_NAME) for row in rows)  # the formula-like name kept as text
    assert {row[1]: row[3] for row in rows}[enrolments[2].student.ine] == "Démission"
    assert "Démission</span>" in page.content.decode()  # and the page badges the student who left


def test_the_results_export_keeps_the_pages_filter(secretariat_client, instance, graded):
    td2 = Group.objects.get(semester_instance=instance, name="TD2")
    page = secretariat_client.get(reverse("grading:semester_results", args=[instance.pk]), {"groupe": td2.pk})
    _header, rows = sheet_of(secretariat_client.get(reverse("grading:semester_results_export", args=[instance.pk]),
                                                    {"groupe": td2.pk}))
    assert len(rows) == len(table_rows(page)) == Enrolment.objects.filter(groups=td2).count()


def test_a_teacher_exports_the_averages_of_their_modules_only(client, users, instance, graded, responsible,
                                                              enrolments):
    client.force_login(users["teacher"])
    url = reverse("grading:teacher_results", args=[instance.pk])
    page = client.get(url)
    header, rows = sheet_of(client.get(reverse("grading:teacher_results_export", args=[instance.pk])))
    columns = page.context["table"].columns
    shown_headers = [c.header for c in columns][len(STUDENT_HEADERS) - 1:]
    assert header[len(STUDENT_HEADERS):] == shown_headers  # the same columns as the page, no other module
    module = responsible.module
    assert all(h.startswith(module.code) or h.startswith("Moy.") for h in header[len(STUDENT_HEADERS):])
    other = instance.semester.modules.exclude(pk=module.pk).first()
    assert not any(other.code in h for h in header)
    live = live_results(semester_instance=instance)
    by_ine = {e.student.ine: e.student for e in enrolments}
    page_rows = [[strip_tags(c) for c in row] for row in table_rows(page)]
    assert len(rows) == len(page_rows) == len(enrolments)
    for row, shown in zip(rows, page_rows, strict=True):
        student = by_ine[row[1]]
        assert [as_number(v) for v in shown[3:]] == [read(v) for v in row[len(STUDENT_HEADERS):]]
        assert read(row[len(STUDENT_HEADERS)]) == as_number(live.modules[student.pk][live.ue_codes[0]][module.code])


def test_a_teacher_of_no_module_there_is_refused_the_export(client, make_user, instance, graded):
    from butgmp.roles import Role
    outsider = make_user(Role.TEACHER, "outsider")
    client.force_login(outsider)
    assert client.get(reverse("grading:teacher_results", args=[instance.pk])).status_code == 403
    assert client.get(reverse("grading:teacher_results_export", args=[instance.pk])).status_code == 403
    assert client.get(reverse("grading:semester_results_export", args=[instance.pk])).status_code == 403


def test_the_enrolment_list_exports_as_shown(secretariat_client, users, client, instance, graded, enrolments):
    page = secretariat_client.get(reverse("grading:enrolment_list", args=[instance.pk]), {"statut": "inscrit"})
    assert reverse("grading:enrolment_export", args=[instance.pk]) in page.content.decode()
    header, rows = sheet_of(secretariat_client.get(reverse("grading:enrolment_export", args=[instance.pk]),
                                                   {"statut": "inscrit"}))
    assert header == ENROLMENT_HEADERS
    kept = [e for e in enrolments if e.pk != enrolments[2].pk]  # the student who left is filtered out
    assert sorted(r[0] for r in rows) == sorted(e.student.ine for e in kept)
    first = next(r for r in rows if r[0] == enrolments[0].student.ine)
    assert first[3] == FORMULA_NAME and first[7] == "Inscrit"
    everyone = sheet_of(secretariat_client.get(reverse("grading:enrolment_export", args=[instance.pk])))[1]
    assert {r[0]: r[7] for r in everyone}[enrolments[2].student.ine] == "Démission"
    client.force_login(users["teacher"])  # a teacher does not see the enrolment list, nor its export
    assert client.get(reverse("grading:enrolment_export", args=[instance.pk])).status_code == 403
