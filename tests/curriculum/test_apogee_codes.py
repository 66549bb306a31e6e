"""A programme's Apogée codes: named objects, the two-column sheet, the journal, programme_summary, new versions."""
import json

import pytest
from django.core.management import call_command

from curriculum.apogee_codes import (
    UNKNOWN_OBJECT,
    ApogeeCodesInvalid,
    apogee_codes_save,
    apogee_objects,
    read_code_rows,
)
from curriculum.models import UE, ApogeeYear, Module, ProgrammeChange
from curriculum.versions import programme_new_version


@pytest.fixture
def programme(make_programme):
    """S3 and S4 of one programme: UE3.1, UE3.2, UE4.1, UE4.2 (C1, C2 level 2), R3.01, R3.02, R4.01, R4.02."""
    programme = make_programme(number=3, ues=2, modules=2, code="apogee-test")
    other = make_programme(number=4, ues=2, modules=2, code="apogee-tmp")
    other.semesters.update(programme=programme)
    return programme


def codes(programme) -> dict[str, str]:
    return {o.name: o.code for o in apogee_objects(programme=programme)}


def test_every_object_of_a_programme_has_a_name_and_no_code_at_first(programme):
    assert list(codes(programme)) == [
        "VET BUT2", "VET BUT2 version", "BUT2", "RCUE C1-2", "RCUE C2-2",
        "S3", "UE3.1", "UE3.2", "R3.01", "R3.02", "S4", "UE4.1", "UE4.2", "R4.01", "R4.02"]
    assert set(codes(programme).values()) == {""}


def test_a_sheet_sets_codes_and_each_change_is_journaled(programme, users):
    rows = [("Objet", "Code"), ("VET BUT2", "V2GMP"), ("vet but2 version", "123"), ("BUT2", "V2GMA"),
            ("RCUE C1-2", "V2GRC1"), ("S3", "V2GS3"), ("UE3.1", "V2GU31"), ("R3.01", "V2GR301"), (None, None)]
    changes = apogee_codes_save(programme=programme, codes=read_code_rows(rows, programme=programme),
                                user=users["direction"])
    assert len(changes) == 7
    assert ApogeeYear.objects.get(programme=programme, year=2).step_version == "123"
    assert UE.objects.get(semester__programme=programme, code="UE3.1").apogee_code == "V2GU31"
    assert Module.objects.get(semester__programme=programme, code="R3.01").apogee_code == "V2GR301"
    change = ProgrammeChange.objects.get(programme=programme, subject="RCUE C1-2")
    assert (change.field, change.old_value, change.new_value, change.user.username) == (
        "code Apogée", "", "V2GRC1", "direction")
    assert apogee_codes_save(programme=programme, codes={"UE3.1": "V2GU31"}, user=None) == []  # nothing changed


def test_a_sheet_with_an_unknown_object_or_a_bad_code_is_refused_naming_the_rows(programme):
    with pytest.raises(ApogeeCodesInvalid) as refused:
        read_code_rows([("UE9.9", "X"), ("UE3.1", "A B"), ("S3", "X1"), ("s3", "X2")], programme=programme)
    assert refused.value.errors == [
        UNKNOWN_OBJECT.format(row=1, name="UE9.9", programme="apogee-test"),
        "ligne 2 : code Apogée « A B » de « UE3.1 » invalide (lettres, chiffres, - _ . ; 20 au plus)",
        "ligne 4 : « s3 » figure déjà ligne 3"]


def test_codes_may_change_on_a_frozen_programme(programme, make_semester_instance):
    instance = make_semester_instance(programme=programme, number=3)
    instance.is_locked = True
    instance.save()
    apogee_codes_save(programme=programme, codes={"UE3.1": "V2GU31"}, user=None)
    assert codes(programme)["UE3.1"] == "V2GU31"


def test_programme_summary_lists_the_codes_and_a_new_version_keeps_them(programme, users, capsys):
    apogee_codes_save(programme=programme, codes={"VET BUT2": "V2GMP", "UE4.2": "V2GU42", "RCUE C2-2": "V2GRC2"},
                      user=None)
    call_command("programme_summary", "--programme", "apogee-test")
    listed = json.loads(capsys.readouterr().out)[0]["apogee_codes"]
    assert listed == [{"object": "VET BUT2", "code": "V2GMP"}, {"object": "RCUE C2-2", "code": "V2GRC2"},
                      {"object": "UE4.2", "code": "V2GU42"}]
    copy = programme_new_version(programme=programme, code="apogee-test-2", first_year=2026, user=users["direction"])
    assert {k: v for k, v in codes(copy).items() if v} == {"VET BUT2": "V2GMP", "RCUE C2-2": "V2GRC2",
                                                           "UE4.2": "V2GU42"}


def test_the_programme_page_shows_the_codes_of_the_semester_and_its_year(programme, client, users):
    apogee_codes_save(programme=programme, codes={"VET BUT2": "V2GMP", "UE3.1": "V2GU31", "UE4.1": "V2GU41"},
                      user=None)
    client.force_login(users["direction"])
    page = client.get(f"/programmes/{programme.code}/?semestre=3")
    shown = [(o.name, o.code) for o in page.context["apogee"]["objects"]]
    assert shown == [("VET BUT2", "V2GMP"), ("VET BUT2 version", ""), ("BUT2", ""), ("RCUE C1-2", ""),
                     ("RCUE C2-2", ""), ("S3", ""), ("UE3.1", "V2GU31"), ("UE3.2", ""), ("R3.01", ""), ("R3.02", "")]
    text = page.content.decode()
    section = text[text.index('id="codes-apogee"'):text.index("</table>", text.index('id="codes-apogee"'))]
    assert "(2 renseignés sur 10)" in section and "<code>V2GU31</code>" in section and "V2GU41" not in section
    assert f'href="/notes/jury/apogee/programmes/{programme.code}/"' in section
    client.force_login(users["teacher"])
    teacher = client.get(f"/programmes/{programme.code}/?semestre=3").content.decode()
    assert "<code>V2GU31</code>" in teacher and "Modifier les codes Apogée" not in teacher
