"""Attestations de réussite (R18) from a closed year jury's record, on a scenario kept with `run_scenario --keep`:
the student who acquires the 120 ECTS of S1–S4 gets the DUT's, the one who does not gets none."""
import datetime
import html
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from grading.models import SemesterInstance, Student
from grading.services.institution import identity_update
from jury.attestations import DUT, session_attestations
from jury.decisions import proposals_accept
from jury.letters import letters_pdf
from jury.records import session_report
from jury.scope import scope_for
from jury.sessions import session_close, session_create
from tests.jury.one_truth_outputs import pdf_text

pytestmark = pytest.mark.django_db
SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "r18_dut_attestation.yaml"


@pytest.fixture
def kept(capsys):
    capsys.readouterr()
    call_command("run_scenario", str(SCENARIO), keep=True)
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def closed(kept, users):
    identity_update(user=users["direction"], iut="IUT du Creusot-Dijon fictif", city="Le Creusot",
                    president_name="M. Étienne Marchal", president_title="Directeur de l'IUT")
    s4 = SemesterInstance.objects.get(pk=kept["semester_instances"]["4"][0])
    scope = scope_for(s4, year=True)
    session = session_create(semester_instances=list(scope.instances), date=datetime.date(2026, 6, 25),
                             president="M. Étienne Marchal", user=users["jury"])
    proposals_accept(session=session, user=users["jury"])
    return session_close(session=session, user=users["jury"])


def test_only_the_student_with_120_ects_gets_the_dut_attestation(kept, closed):
    complete, short = kept["students"]["complete"], kept["students"]["short"]
    items = session_attestations(session=closed)
    assert [(a.ine, a.diploma, a.ects) for a in items] == [(complete, DUT, 120)]
    assert session_attestations(session=closed, student_id=Student.objects.get(ine=short).pk) == []


def test_the_pages_list_and_print_the_attestations_of_the_promotion_and_of_one_student(client, users, kept, closed):
    complete, short = kept["students"]["complete"], kept["students"]["short"]
    client.force_login(users["secretariat"])
    page = client.get(reverse("jury:attestations", args=[closed.pk])).content.decode()
    assert complete in page and short not in page
    response = client.get(reverse("jury:attestations_pdf", args=[closed.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = [" ".join(p.split()) for p in pdf_text(response.content).split("\f") if p.strip()]
    assert len(pages) == 1
    assert "ATTESTATION DE RÉUSSITE" in pages[0] and "Diplôme universitaire de technologie (DUT)" in pages[0]
    assert f"INE {complete}" in pages[0] and short not in pages[0] and "120 crédits européens" in pages[0]
    assert "IUT du Creusot-Dijon fictif" in pages[0] and "Fait à Le Creusot" in pages[0]
    assert "M. Étienne Marchal, Directeur de l'IUT, atteste que" in pages[0]
    one = client.get(reverse("jury:attestations_pdf", args=[closed.pk]),
                     {"etudiant": Student.objects.get(ine=complete).pk})
    assert complete in pdf_text(one.content)
    refused = client.get(reverse("jury:attestations_pdf", args=[closed.pk]),
                         {"etudiant": Student.objects.get(ine=short).pk}, follow=True)
    assert refused.redirect_chain and "Aucun étudiant de ce jury" in html.unescape(refused.content.decode())


def test_the_letter_of_the_student_with_120_ects_says_the_jury_attributes_the_dut(kept, closed):
    pages = [" ".join(p.split()) for p in pdf_text(letters_pdf(report=session_report(closed), session=closed))
             .split("\f") if p.strip()]
    assert len(pages) == 2  # one page each
    complete_letter = next(page for page in pages if kept["students"]["complete"] in page)
    short_letter = next(page for page in pages if kept["students"]["short"] in page)
    assert "le jury vous attribue le DUT" in complete_letter and "le jury vous attribue le DUT" not in short_letter


def test_the_command_writes_the_attestations_and_refuses_a_student_who_has_none(capsys, tmp_path, kept, closed):
    output = tmp_path / "attestations.pdf"
    capsys.readouterr()
    call_command("jury_session", "attestations", str(closed.pk), output=str(output))
    out = json.loads(capsys.readouterr().out)
    assert [(a["ine"], a["diploma"]) for a in out["attestations"]] == [(kept["students"]["complete"], DUT)]
    assert kept["students"]["complete"] in pdf_text(output.read_bytes())
    with pytest.raises(CommandError) as refused:
        call_command("jury_session", "attestations", str(closed.pk), student=kept["students"]["short"])
    assert refused.value.returncode == 1
    Student.objects.filter(ine=kept["students"]["complete"]).update(nip="21900042")
    call_command("jury_session", "attestations", str(closed.pk), student="21900042")  # a NIP as well as an INE
    by_nip = json.loads(capsys.readouterr().out)
    assert [a["ine"] for a in by_nip["attestations"]] == [kept["students"]["complete"]]


def test_an_open_jury_gives_no_attestation(client, users, kept):
    s4 = SemesterInstance.objects.get(pk=kept["semester_instances"]["4"][0])
    session = session_create(semester_instances=list(scope_for(s4, year=True).instances),
                             date=datetime.date(2026, 6, 25), president="M. Étienne Marchal", user=users["jury"])
    assert session_attestations(session=session) == []
    client.force_login(users["jury"])
    response = client.get(reverse("jury:attestations_pdf", args=[session.pk]), follow=True)
    assert "jury d'année clos" in html.unescape(response.content.decode())
