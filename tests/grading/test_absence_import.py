"""Absences imported from an attendance sheet: every row checked (French errors naming row and column, nothing
written), a preview, then one step writes them, journaled; half-days already recorded are not duplicated."""
import datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from grading.attendance_counts import attendance_counts
from grading.models import AttendanceMark, AuditEntry

pytestmark = pytest.mark.django_db


def sheet(rows, header=("INE", "Date", "Demi-journée")) -> SimpleUploadedFile:
    workbook = Workbook()
    ws = workbook.active
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    data = BytesIO()
    workbook.save(data)
    return SimpleUploadedFile("absences.xlsx", data.getvalue())


@pytest.fixture
def office(client, users):
    client.force_login(users["secretariat"])
    return client


def test_a_checked_sheet_is_previewed_then_written_once(office, instance, enrolments):
    first, second = enrolments[0], enrolments[1]
    url = reverse("grading:absence_import", args=[instance.pk])
    rows = [(first.student.ine, datetime.date(2025, 10, 6), "matin"), (first.student.ine, "07/10/2025", ""),
            (second.student.ine, "2025-10-08", "après-midi")]
    preview = office.post(url, {"file": sheet(rows)})
    assert preview.status_code == 200 and not AttendanceMark.objects.exists()  # nothing written yet
    page = preview.content.decode()
    assert "Aperçu : 4 demi-journées" in page and "mardi 07/10/2025" in page
    token = preview.context["confirm_form"].initial["token"]
    response = office.post(reverse("grading:absence_import_confirm", args=[instance.pk]), {"token": token})
    assert response.status_code == 302
    counts = attendance_counts(enrolment_ids=[first.pk, second.pk])
    assert (counts[first.pk].absent, counts[second.pk].absent) == (3, 1)
    assert AuditEntry.objects.filter(object_type="grading.attendancemark", source="import").count() == 4
    again = office.post(url, {"file": sheet(rows)}).context["confirm_form"].initial["token"]
    office.post(reverse("grading:absence_import_confirm", args=[instance.pk]), {"token": again})
    assert AttendanceMark.objects.count() == 4  # nothing duplicated
    # a token is used once
    follow = office.post(reverse("grading:absence_import_confirm", args=[instance.pk]), {"token": token}, follow=True)
    assert "n&#x27;est plus disponible" in follow.content.decode()


def test_every_bad_row_is_named_by_row_and_column_and_nothing_is_kept(office, instance, enrolments):
    ine = enrolments[0].student.ine
    rows = [(ine, "06/10/2025", "matin"), ("999", "06/10/2025", "matin"), (ine, "32/10/2025", ""),
            (ine, "11/10/2025", ""), (ine, "06/10/2025", "soir")]
    response = office.post(reverse("grading:absence_import", args=[instance.pk]), {"file": sheet(rows)})
    page = response.content.decode()
    assert response.status_code == 400
    for expected in ("Ligne 3, colonne « INE » : « 999 » n&#x27;est pas un étudiant inscrit à ce semestre",
                     "Ligne 4, colonne « Date » : « 32/10/2025 » n&#x27;est pas une date",
                     "Ligne 5, colonne « Date » : le 11/10/2025 est un samedi",
                     "Ligne 6, colonne « Demi-journée » : « soir »"):
        assert expected in page, expected
    assert not AttendanceMark.objects.exists()


def test_a_sheet_without_its_columns_or_a_teacher_is_refused(office, client, instance, users):
    response = office.post(reverse("grading:absence_import", args=[instance.pk]),
                           {"file": sheet([("x", "y")], header=("Nom", "Jour"))})
    page = response.content.decode()
    assert "il faut une colonne « INE » ou « NIP »" in page and "la colonne « Date » est absente" in page
    client.force_login(users["teacher"])
    assert client.get(reverse("grading:absence_import", args=[instance.pk])).status_code == 403


def test_the_command_imports_the_same_sheet(instance, enrolments, tmp_path):
    import json
    from io import StringIO

    from django.core.management import CommandError, call_command
    path = tmp_path / "absences.xlsx"
    path.write_bytes(sheet([(enrolments[0].student.ine, "06/10/2025", "")]).read())
    out = StringIO()
    call_command("import_absences", str(path), semester=instance.pk, stdout=out)
    assert json.loads(out.getvalue()) == {"semester": instance.pk, "half_days_read": 2, "added": 2, "dry_run": False}
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(sheet([("999", "06/10/2025", "")]).read())
    with pytest.raises(CommandError, match="Ligne 2, colonne « INE »") as refused:
        call_command("import_absences", str(bad), semester=instance.pk, stdout=StringIO())
    assert refused.value.returncode == 1 and AttendanceMark.objects.count() == 2
