"""The Apogée pages and the page importing results from before, driven as their users would."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from curriculum.models import UE, ProgrammeChange
from demo.jury_promotion import make_promotion
from grading.models import ApogeeExport, ApogeeTranslation, AuditEntry, ExternalValidation
from jury.decisions import proposals_accept
from jury.sessions import session_close, session_create
from tests.jury.apogee.maquettes import maquette_bytes


@pytest.fixture
def promotion(db):
    promotion = make_promotion(students=3, seed=2)
    for i, student in enumerate(promotion.students):
        student.nip = f"4100000{i}"
        student.save()
    return promotion


def test_direction_edits_a_programme_s_codes_on_the_page_and_from_a_sheet(promotion, client, users, tmp_path):
    client.force_login(users["direction"])
    url = f"/notes/jury/apogee/programmes/{promotion.programme.code}/"
    page = client.get(url)
    assert page.status_code == 200 and "VET BUT2 version" in page.content.decode()
    fields = {f"o{i}": "" for i, _ in enumerate(page.context["form"].objects)}
    index = next(i for i, o in enumerate(page.context["form"].objects) if o.name == "UE3.2")
    client.post(url, {**fields, f"o{index}": "V2GU32", "save": "1"}, follow=True)
    assert UE.objects.get(semester__programme=promotion.programme, code="UE3.2").apogee_code == "V2GU32"
    csv = tmp_path / "codes.csv"
    csv.write_text("objet;code\nUE3.1;V2GU31\nBUT2;V2GMA\n", encoding="utf-8")
    with csv.open("rb") as handle:
        done = client.post(url, {"sheet": "1", "file": handle}, follow=True)
    assert "2 code(s) Apogée modifié(s)" in done.content.decode()
    assert ProgrammeChange.objects.filter(programme=promotion.programme, field="code Apogée").count() == 3


def test_only_direction_edits_codes_and_the_translation_table(promotion, client, users):
    client.force_login(users["secretariat"])
    assert client.get(f"/notes/jury/apogee/programmes/{promotion.programme.code}/").status_code == 403
    assert client.get("/notes/jury/apogee/reglages/").status_code == 403


def test_direction_sets_a_translation_and_it_is_journaled(db, client, users):
    client.force_login(users["direction"])
    page = client.get("/notes/jury/apogee/reglages/")
    data = {name: field.initial for name, field in page.context["form"].fields.items() if name.startswith("t_")}
    data.update(t_ADSUP="", t_CMP="CMPN", semester_element="empty", semester_code="year")
    client.post("/notes/jury/apogee/reglages/", data, follow=True)
    assert dict(ApogeeTranslation.objects.values_list("code", "apogee_code")) == {"ADSUP": "", "CMP": "CMPN"}
    assert AuditEntry.objects.filter(field="code Apogée").count() == 2
    assert AuditEntry.objects.filter(field="note des éléments semestre", new_value="empty").exists()


def test_the_secretariat_fills_a_maquette_on_the_jury_and_downloads_it(promotion, client, users):
    session = session_create(semester_instances=[promotion.s3, promotion.s4], date=datetime.date(2026, 6, 20),
                             president="Mme Présidente", user=users["jury"])
    proposals_accept(session=session, user=users["jury"])
    session_close(session=session, user=users["jury"])
    client.force_login(users["secretariat"])
    students = [(s.nip, s.last_name, s.first_name, "01/01/2005") for s in promotion.students]
    upload = maquette_bytes(students=students)
    page = client.post(f"/notes/jury/jurys/{session.pk}/apogee/",
                       {"file": SimpleUploadedFile("maquette.txt", upload, "text/plain")}, follow=True)
    text = page.content.decode()
    assert "Maquette remplie pour 3 étudiant(s)" in text
    assert "Éléments sans code Apogée dans le programme (" in text
    export = ApogeeExport.objects.get(session=session)
    download = client.get(f"/notes/jury/apogee/exports/{export.pk}/maquette.txt")
    assert bytes(download.content) == bytes(export.content)
    assert download["Content-Disposition"].startswith('attachment; filename="maquette.txt"')
    assert (export.report["students_filled"], export.report["cells_written"]) == (3, 0)  # no code set


def test_past_results_page_previews_confirms_and_undoes(promotion, client, users, tmp_path):
    client.force_login(users["secretariat"])
    student = promotion.students[0]
    csv = tmp_path / "anterieurs.csv"
    csv.write_text(f"NIP;INE;objet;code;moyenne\n{student.nip};;UE3.1;ADM;13,5\n", encoding="utf-8")
    with csv.open("rb") as handle:
        preview = client.post("/notes/resultats-anterieurs/", {"file": handle, "programme": ""})
    assert preview.status_code == 200 and "1 nouvelle(s)" in preview.content.decode()
    assert ExternalValidation.objects.count() == 0
    token = preview.context["token_form"].initial["token"]
    done = client.post("/notes/resultats-anterieurs/confirmer/", {"token": token}, follow=True)
    assert "1 validation(s) ajoutée(s)" in done.content.decode()
    assert ExternalValidation.objects.get(student=student).ue.code == "UE3.1"
    batch = done.context["batches"][0]["batch"]
    undone = client.post(f"/notes/resultats-anterieurs/{batch}/annuler/", follow=True)
    assert "Import annulé : 1 validation(s)" in undone.content.decode()
    assert ExternalValidation.objects.count() == 0
