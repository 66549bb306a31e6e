"""RGPD and the jury's archives: `student_data --export` holds the student's jury records, their row of every
Apogée maquette filled after a jury that decided them, and their CAS identifier; `--anonymise` forgets the CAS
identifier and keeps the jury records, the PV's source and the Apogée files as they are (administrative archives)."""
import json
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import AccountProfile
from grading.models import ApogeeExport, JuryRecordStudent, Student
from jury import pdf
from jury.apogee.export import apogee_export_save
from jury.records import session_report
from tests.jury.apogee.test_export import closed_jury, file_for  # noqa: F401 (the fixture)
from tests.worlds import user as make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def archived(closed_jury, users):  # noqa: F811
    promotion, session = closed_jury
    student = promotion.students[1]
    apogee_export_save(session=session, maquette=file_for(promotion, skip=0), filename="maquette.txt",
                       user=users["secretariat"])
    student.user = make_user(None, student.ine)
    student.save()
    AccountProfile.objects.create(user=student.user, cas_id="lmartin42")
    return promotion, session, student


def test_the_export_holds_the_jury_records_the_apogee_rows_and_the_cas_identifier(archived, tmp_path):
    _, session, student = archived
    call_command("student_data", student=student.ine, export=str(tmp_path / "e.json"), stdout=StringIO())
    data = json.loads((tmp_path / "e.json").read_text(encoding="utf-8"))
    (record,) = data["jury_records"]
    stored = JuryRecordStudent.objects.get(student=student)
    assert (record["jury"], record["ine"], record["decision"]) == ("Jury du 20/06/2026", student.ine,
                                                                    stored.decision)
    assert record["figures"] == stored.figures
    (apogee,) = data["apogee_exports"]
    assert apogee["file"] == "maquette.txt" and apogee["jury"] == str(session)
    assert apogee["row"]["apoL_a01_code"] == student.nip and student.last_name.upper() in apogee["row"].values()
    assert data["cas"] == {"cas_id": "lmartin42", "local_login_allowed": False, "cas_tickets": 0}


def test_anonymising_forgets_the_cas_identifier_and_keeps_the_jurys_archives(archived, settings):
    promotion, session, student = archived
    settings.STUDENT_DATA_YEARS = 0
    record = JuryRecordStudent.objects.get(student=student)
    export = ApogeeExport.objects.get()
    pv_before = pdf.pv_html(report=session_report(session), session=session)
    call_command("student_data", student=student.ine, anonymise=True, stdout=StringIO())
    assert Student.objects.get(pk=student.pk).last_name == "Anonyme"
    assert AccountProfile.objects.get(user=student.user).cas_id is None
    kept = JuryRecordStudent.objects.get(pk=record.pk)
    assert (kept.name, kept.ine, kept.figures) == (record.name, record.ine, record.figures)
    assert bytes(ApogeeExport.objects.get(pk=export.pk).content) == bytes(export.content)
    pv_after = pdf.pv_html(report=session_report(session), session=session)
    assert student.ine in pv_after and pv_after == pv_before
