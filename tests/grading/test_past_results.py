"""Results from before: a spreadsheet or ScoDoc's decisions_jury JSON become external validations (R10, R11, R15)."""
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import Workbook

from butgmp.spreadsheets import put
from curriculum.models import UE, Competence, CompetenceLevel, Semester
from demo.jury_promotion import COMPETENCES, make_promotion
from grading.engine.compute import compute
from grading.loaders import load_year
from grading.models import AuditEntry, ExternalValidation
from grading.past_results_reading import rows_from_table
from grading.services.errors import ImportInvalid, UndoRefused
from grading.services.past_results import (
    UNDO_ALREADY,
    past_results_import,
    past_results_plan,
    past_results_undo,
)
from grading.spreadsheet_reading import read_table
from jury.report import jury_report
from jury.scope import scope_for

BUT1 = [f"UE{n}.{i}" for n in (1, 2) for i in (1, 2, 3, 4)]


@pytest.fixture
def promotion(db):
    """A BUT2 promotion (S3–S4 with grades) whose programme also has S1 and S2, and no BUT1 on record."""
    promotion = make_promotion(students=4, seed=5)
    for number in (1, 2):
        semester = Semester.objects.create(programme=promotion.programme, number=number)
        for i, (code, name) in enumerate(COMPETENCES, start=1):
            level, _ = CompetenceLevel.objects.get_or_create(competence=Competence.objects.get(code=code), level=1,
                                                             defaults={"label": f"{name} niveau 1"})
            UE.objects.create(semester=semester, code=f"UE{number}.{i}", order=i, ects=Decimal("7.5"),
                              competence_level=level, title=f"{name} (S{number})")
    for i, student in enumerate(promotion.students):
        student.nip = f"3100000{i}"
        student.save()
    return promotion


def sheet(rows: list[tuple]) -> list[tuple]:
    """The rows as the bounded reader returns them from an .xlsx written like a department's."""
    wb = Workbook()
    ws = wb.active
    for r, row in enumerate([("NIP", "INE", "Objet", "Code", "Moyenne", "Origine"), *rows], start=1):
        for c, value in enumerate(row, start=1):
            put(ws, r, c, value)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "anterieurs.xlsx"
    table = read_table(buffer, allow_csv=False)
    assert table.error is None
    return table.rows


def but1_rows(student, *, by: str = "nip", codes: dict | None = None) -> list[tuple]:
    codes = codes or {}
    nip, ine = (student.nip, "") if by == "nip" else ("", student.ine)
    return [(nip, ine, ue, codes.get(ue, ("ADM", "12,5"))[0], codes.get(ue, ("ADM", "12,5"))[1], "IUT X 2024-2025")
            for ue in BUT1] + [(nip, ine, "C1-1", "ADM", "", ""), (nip, ine, "année", "ADM", "", "")]


def totals(promotion) -> dict[str, tuple[Decimal, Decimal]]:
    report = jury_report(scope=scope_for(promotion.s4, year=True))
    return {r.student.ine: (r.ects_year, r.ects_total) for r in report.rows}


def may_enter_s5(promotion) -> dict[str, bool | None]:
    result = compute(load_year(semester_instances=[promotion.s3, promotion.s4]), explain=False)
    return {s.ine: result.students[s.pk].may_enter_s5 for s in promotion.students}


def test_a_spreadsheet_preview_then_import_adds_but1_to_the_ects_total_and_undo_takes_it_back(promotion, users):
    first, second = promotion.students[:2]
    rows = rows_from_table(sheet(but1_rows(first) + but1_rows(second, by="ine")))
    before = totals(promotion)
    assert all(year == total for year, total in before.values())  # BUT1 not on record: total = year

    plan = past_results_plan(rows=rows)
    assert (len(plan.new), len(plan.changed), len(plan.shown)) == (16, 0, 4)
    assert ExternalValidation.objects.count() == 0  # the preview writes nothing

    plan, batch = past_results_import(rows=rows, user=users["direction"], filename="anterieurs.xlsx",
                                      expected=plan.signature())
    validation = ExternalValidation.objects.get(student=second, ue__code="UE2.3")
    assert (validation.code, validation.average, validation.origin) == ("ADM", Decimal("12.5"), "IUT X 2024-2025")
    after = totals(promotion)
    for student in (first, second):
        assert after[student.ine] == (before[student.ine][0], before[student.ine][0] + 60)
    for student in promotion.students[2:]:
        assert after[student.ine] == before[student.ine]
    assert AuditEntry.objects.filter(batch=batch).count() == 16

    assert past_results_undo(batch=batch, user=users["direction"]) == 16
    assert ExternalValidation.objects.count() == 0
    assert totals(promotion) == before
    with pytest.raises(UndoRefused, match=UNDO_ALREADY):
        past_results_undo(batch=batch, user=users["direction"])


def test_r15_becomes_known_once_but1_is_imported(promotion, users):
    first, second = promotion.students[:2]
    assert may_enter_s5(promotion)[first.ine] is None  # S1/S2 unknown
    past_results_import(rows=rows_from_table(sheet(but1_rows(first))), user=users["direction"], filename="a.xlsx")
    known = may_enter_s5(promotion)
    assert (known[first.ine], known[second.ine]) == (True, None)


def test_a_second_import_shows_changes_and_unchanged_rows(promotion, users):
    first = promotion.students[0]
    past_results_import(rows=rows_from_table(sheet(but1_rows(first))), user=None, filename="a.xlsx")
    plan = past_results_plan(rows=rows_from_table(sheet(but1_rows(first, codes={"UE1.1": ("CMP", "9,5")}))))
    assert [(i.ue.code, i.old, i.new) for i in plan.changed] == [("UE1.1", "ADM 12.500", "CMP 9.500")]
    assert len(plan.unchanged) == 7


def test_unknown_students_codes_and_ues_are_refused_naming_the_rows(promotion):
    rows = rows_from_table(sheet([("99999", "", "UE1.1", "ADM", "12", ""),
                                  (promotion.students[0].nip, "", "UE1.1", "XYZ", "12", ""),
                                  (promotion.students[0].nip, "", "UE7.1", "ADM", "12", ""),
                                  (promotion.students[0].nip, "", "UE1.2", "PASD", "12", ""),
                                  (promotion.students[0].nip, "", "UE1.3", "ATT", "", ""),
                                  (promotion.students[0].nip, "", "année", "PASD", "", "")]))
    with pytest.raises(ImportInvalid) as refused:
        past_results_plan(rows=rows)
    allowed = "ADM, CMP, ADJ, ADJR, ADSUP, AJ, DEF, DEM, ABAN"
    assert refused.value.errors == [
        "ligne 2 : aucun étudiant de NIP « 99999 » ni d'INE « — »",
        "ligne 3 : code « XYZ » inconnu (UE1.1)",
        f"ligne 4 : UE « UE7.1 » absente du programme {promotion.programme.code}",
        f"ligne 5 : code « PASD » impossible pour une UE (UE1.2) ; attendu : {allowed}",
        f"ligne 6 : code « ATT » impossible pour une UE (UE1.3) ; attendu : {allowed}"]  # PASD for the year: fine


def test_a_ue_decided_by_a_closed_jury_here_is_refused(promotion):
    promotion.s3.is_locked = True
    promotion.s3.save()
    student = promotion.students[0]
    with pytest.raises(ImportInvalid) as refused:
        past_results_plan(rows=rows_from_table(sheet([(student.nip, "", "UE3.1", "ADM", "15", "")])))
    assert refused.value.errors == [f"ligne 2 : {student}, UE3.1 — décidée par un jury clos de l'application ; "
                                    "son relevé ne change pas"]


def scodoc_answer(students) -> list[dict]:
    """decisions_jury of a BUT1 S2 in ScoDoc: ue_ids 101–104 (S1) and 201–204 (S2), by competence."""
    answer = []
    for k, student in enumerate(students):
        rcues = [{"ue_1": {"ue_id": 100 + i, "moy": 11.0 + i + k, "code": "ADM"},
                  "ue_2": {"ue_id": 200 + i, "moy": 9.25 if i == 2 else 12.0, "code": "AJ" if i == 2 else "ADM"},
                  "moy": 12.0, "code": "ADM"} for i in (1, 2, 3, 4)]
        ues = [{"ue_id": 100 + i, "code": "ADM", "ects": 7.5} for i in (1, 2, 3, 4)]
        ues += [{"ue_id": 200 + i, "code": "CMP" if i == 2 else "ADM", "ects": 7.5} for i in (1, 2, 3, 4)]
        answer.append({"etudid": 5000 + k, "code_nip": student.nip if k == 0 else "", "code_ine": student.ine,
                       "etat": "I", "nb_competences": 4, "rcues": rcues, "ues": ues,
                       "annee": {"code": "ADM", "ordre": 1, "annee_scolaire": "2024-2025"}, "autorisations": []})
    return answer


def test_a_scodoc_json_maps_ue_ids_by_rcue_position_and_imports(promotion, tmp_path, capsys):
    first, second = promotion.students[:2]
    path = tmp_path / "decisions_jury.json"
    path.write_text(json.dumps(scodoc_answer([first, second])))
    call_command("import_results", str(path), "--programme", promotion.programme.code, "--dry-run")
    preview = json.loads(capsys.readouterr().out)
    assert preview["mapping"] == {**{str(100 + i): f"UE1.{i}" for i in (1, 2, 3, 4)},
                                  **{str(200 + i): f"UE2.{i}" for i in (1, 2, 3, 4)}}
    assert len(preview["new"]) == 16 and ExternalValidation.objects.count() == 0
    call_command("import_results", str(path), "--programme", promotion.programme.code)
    out = json.loads(capsys.readouterr().out)
    assert out["batch"].startswith("resultats-anterieurs-")
    journal = AuditEntry.objects.filter(batch=out["batch"])
    assert journal.count() == 16 and set(journal.values_list("user__username", flat=True)) == {"systeme"}
    second_ue = ExternalValidation.objects.get(student=second, ue__code="UE1.3")  # matched by INE
    assert (second_ue.code, second_ue.average, second_ue.origin) == ("ADM", Decimal("15.000"), "ScoDoc 2024-2025")
    compensated = ExternalValidation.objects.get(student=first, ue__code="UE2.2")
    assert (compensated.code, compensated.average) == ("CMP", Decimal("9.250"))  # the final UE code of « ues »
    assert may_enter_s5(promotion)[first.ine] is True
    assert totals(promotion)[first.ine][1] == totals(promotion)[first.ine][0] + 60


def test_a_hand_made_mapping_replaces_the_proposed_one(promotion, tmp_path, capsys):
    first = promotion.students[0]
    path = tmp_path / "decisions_jury.json"
    path.write_text(json.dumps(scodoc_answer([first])))
    call_command("import_results", str(path), "--programme", promotion.programme.code, "--dry-run",
                 "--map", "101=UE1.2", "--map", "102=UE1.1")
    preview = json.loads(capsys.readouterr().out)
    assert {i["ue"]: i["new"] for i in preview["new"]}["UE1.2"] == "ADM 12.000"  # ue_id 101's average


def test_an_unreadable_file_exits_2(promotion, tmp_path, capsys):
    path = tmp_path / "decisions_jury.json"
    path.write_text("{pas du json")
    with pytest.raises(SystemExit) as exit_:
        call_command("import_results", str(path), "--programme", promotion.programme.code)
    assert exit_.value.code == 2
    assert "ce n'est pas du JSON" in capsys.readouterr().err



def upload(client, promotion, answer) -> tuple:
    """Post a decisions_jury answer on the page; return the preview and its token."""
    file = SimpleUploadedFile("decisions_jury.json", json.dumps(answer).encode(), "application/json")
    preview = client.post("/notes/resultats-anterieurs/", {"file": file, "programme": promotion.programme.code})
    assert preview.status_code == 200
    return preview, preview.context["token_form"].initial["token"]

def test_on_the_page_a_scodoc_file_is_previewed_its_mapping_corrected_by_hand_then_imported_and_undone(
        promotion, client, users):
    client.force_login(users["secretariat"])
    first = promotion.students[0]
    preview, token = upload(client, promotion, scodoc_answer([first]))
    assert preview.context["mapping"]["101"] == "UE1.1" and preview.context["mapping"]["102"] == "UE1.2"
    page = preview.content.decode()
    assert "Correspondance des UE de ScoDoc" in page and "8 nouvelle(s)" in page
    assert "<td>RCUE n° 2, ue_2 (semestre pair)</td>" in page  # where ue_id 202 stands, to map it by hand
    assert "Enregistrer ces 8 validation(s)" in page
    assert "ADM 12</td>" in page  # ue_id 102's average of 12.0 for UE1.2, the French way
    assert ExternalValidation.objects.count() == 0

    # ScoDoc listed the first two competences the other way round: the secretary swaps them on the preview.
    remapped = client.post("/notes/resultats-anterieurs/", {"remap": "1", "token": token, "ue_101": "UE1.2",
                                                            "ue_102": "UE1.1"})
    new = {i.ue.code: i.new_shown for i in remapped.context["plan"].new}
    assert (new["UE1.1"], new["UE1.2"]) == ("ADM 13", "ADM 12")  # ue_id 102 (13.0) now UE1.1, 101 (12.0) UE1.2
    done = client.post("/notes/resultats-anterieurs/confirmer/", {"token": token}, follow=True)
    assert "8 validation(s) ajoutée(s)" in done.content.decode()
    assert ExternalValidation.objects.get(student=first, ue__code="UE1.1").average == Decimal("13.000")
    assert may_enter_s5(promotion)[first.ine] is True
    batch = done.context["batches"][0]
    assert (batch["count"], batch["user"]) == (8, "Sacha Secrétaire")  # by name, never the login

    undone = client.post(f"/notes/resultats-anterieurs/{batch['batch']}/annuler/", follow=True)
    assert "Import annulé : 8 validation(s)" in undone.content.decode()
    assert ExternalValidation.objects.count() == 0 and may_enter_s5(promotion)[first.ine] is None


def test_ue_ids_the_preview_cannot_place_are_offered_to_be_mapped_by_hand(promotion, client, users):
    client.force_login(users["secretariat"])
    first = promotion.students[0]
    answer = scodoc_answer([first])
    answer[0]["annee"].pop("ordre")  # no year: no place to map the ue_ids by
    preview, token = upload(client, promotion, answer)
    assert preview.context["mapping"] == {str(u): "" for u in (101, 201, 102, 202, 103, 203, 104, 204)}
    assert "ue_id 101 (étudiant " in preview.content.decode() and 'name="ue_101"' in preview.content.decode()
    by_hand = {f"ue_{100 * s + i}": f"UE{s}.{i}" for s in (1, 2) for i in (1, 2, 3, 4)}
    remapped = client.post("/notes/resultats-anterieurs/", {"remap": "1", "token": token, **by_hand})
    assert remapped.context["errors"] == [] and len(remapped.context["plan"].new) == 8
    client.post("/notes/resultats-anterieurs/confirmer/", {"token": token})
    assert ExternalValidation.objects.filter(student=first).count() == 8


def test_students_are_matched_by_nip_first_then_by_ine(promotion):
    first, second, third = promotion.students[:3]
    rows = rows_from_table(sheet([(first.nip, second.ine, "UE1.1", "ADM", "12", ""),  # NIP wins over INE
                                  ("99999999", third.ine, "UE1.1", "ADM", "13", ""),  # unknown NIP: the INE
                                  ("", second.ine, "UE1.2", "ADM", "14", "")]))
    plan = past_results_plan(rows=rows)
    assert [(i.student, i.ue.code, i.row.average) for i in plan.new] == [
        (first, "UE1.1", Decimal("12.000")), (third, "UE1.1", Decimal("13.000")), (second, "UE1.2", Decimal("14.000"))]
