"""The documents a department signs and posts, read as text (pdftotext): the decision letters (letterhead, appeal
rights, address, one letter on whole pages numbered on their own), the PV's observations and signatures, and the PV
and letters made once at closing and served unchanged after the institution's identity changes."""
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from grading.engine.codes import JuryLevel
from grading.models import JuryRecordDocument, Student
from grading.models.institution import APPEAL_DEFAULT
from grading.selectors.jury_records import current_record
from grading.services.institution import identity_update
from jury import pdf
from jury.decisions import decision_override, proposals_accept
from jury.letters import letters_pdf
from jury.records import session_report
from jury.sessions import session_close
from tests.jury.one_truth_outputs import pdf_text

pytestmark = pytest.mark.django_db
IDENTITY = {"university": "Université fictive de Bourgogne", "iut": "IUT du Creusot-Dijon fictif",
            "postal_address": "12 rue de la Fonderie\n71200 Le Creusot", "city": "Le Creusot",
            "president_name": "M. Étienne Marchal", "president_title": "Directeur de l'IUT, président du jury"}
NAR_REASON = ("Absences répétées et non justifiées à l'ensemble des enseignements du second semestre malgré deux "
              "convocations, résultats très insuffisants dans toutes les compétences")
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                         "QUEUES": ["default", "email"]}}


def flat(text: str) -> str:
    return " ".join(text.split())


FOOTER = re.compile(r"Destinataire : (.+?) – décision du jury page (\d+) / (\d+)$")


def letters_of(content: bytes) -> list[list[str]]:
    """Group the PDF's pages by letter, from each page's footer « Destinataire : NOM Prénom – décision du jury …
    page k / n »; check the numbering restarts with each letter, runs to its count, and names one recipient."""
    letters, current, recipient = [], None, None
    for page in (p for p in pdf_text(content).split("\f") if p.strip()):
        text = flat(page)
        match = FOOTER.search(text)
        assert match, f"no per-letter footer on: {text[-120:]}"
        number, count = int(match[2]), int(match[3])
        if number == 1:
            current, recipient = [], match[1]
            letters.append(current)
        assert match[1] == recipient  # no page holds parts of two letters
        current.append(text)
        assert len(current) == number <= count
    assert all(len(pages) == int(FOOTER.search(pages[-1])[3]) for pages in letters)
    return letters


@pytest.fixture
def identity(users):
    return identity_update(user=users["direction"], **IDENTITY)


@pytest.fixture
def closed(users, clean_promotion, open_session, identity):
    """A closed jury presided by the identity's president; one NAR with a long reason, one student's address."""
    session = open_session(clean_promotion, president=IDENTITY["president_name"])
    nar = clean_promotion.students[1]
    decision_override(enrolment=nar.enrolments.get(semester_instance=clean_promotion.s4), level=JuryLevel.YEAR,
                      subject="2", code="NAR", reason=NAR_REASON, user=users["jury"], session=session)
    Student.objects.filter(pk=clean_promotion.students[0].pk).update(
        postal_address="3 rue des Lilas\nAppartement 4\n21000 Dijon")
    proposals_accept(session=session, user=users["jury"])
    return session_close(session=session, user=users["jury"])


def test_every_letter_carries_the_letterhead_place_date_president_and_appeal_rights(closed, clean_promotion):
    content = letters_pdf(report=session_report(closed), session=closed)
    letters = letters_of(content)
    assert len(letters) == len(clean_promotion.students)
    appeal = flat(APPEAL_DEFAULT)
    for pages in letters:
        text = " ".join(pages)
        assert IDENTITY["university"] in text and IDENTITY["iut"] in text and "71200 Le Creusot" in text
        assert f"Fait à Le Creusot, le {timezone.localdate(closed.closed_at).day}" in text
        assert "M. Étienne Marchal Directeur de l'IUT, président du jury" in text
        assert "Voies et délais de recours" in text and appeal in text
        assert "Document provisoire" not in text
    first, nar = clean_promotion.students[0], clean_promotion.students[1]
    assert "3 rue des Lilas Appartement 4 21000 Dijon" in " ".join(letters[0]) and first.last_name.upper() in \
        " ".join(letters[0])
    nar_text = next(" ".join(p) for p in letters if nar.ine in " ".join(p))
    assert "pas autorisé(e) à la redoubler" in nar_text and flat(NAR_REASON) in nar_text
    assert "service d'orientation" in nar_text  # the orientation advice (arrêté §4.5)
    passing = [p for p in letters if "Vous pouvez vous inscrire en 3e année de BUT" in " ".join(p)]
    assert passing  # what follows from the decision: next year's enrolment


def test_a_letter_too_long_for_one_page_keeps_whole_pages_numbered_on_its_own(users, closed, clean_promotion):
    # an appeal text twenty times as long pushes every letter past one page
    identity_update(user=users["direction"], appeal_text=" ".join([APPEAL_DEFAULT] * 20))
    letters = letters_of(letters_pdf(report=session_report(closed), session=closed))
    assert len(letters) == len(clean_promotion.students)
    assert all(len(pages) >= 2 for pages in letters)
    for pages in letters:
        assert "Objet : décision du jury" in pages[0] and all("Objet" not in page for page in pages[1:])
        signed = [page for page in pages if "Pour le jury" in page]
        assert len(signed) == 1 and "Crédits européens (ECTS) obtenus" in signed[0]  # never a signature alone


def test_the_pv_has_an_observations_column_an_annex_and_signature_lines(client, users, closed, clean_promotion):
    client.force_login(users["jury"])
    text = pdf_text(client.get(reverse("jury:pv_pdf", args=[closed.pk])).content)
    table, annex = text.split("Annexe : observations du jury")[0], flat(text.split("Annexe : observations du jury")[1])
    assert "Observations" in table and "Année NAR : Absences répétées" in flat(table)
    assert flat(NAR_REASON) not in flat(table) and "(annexe, n° 1)" in flat(table)  # shortened in the table
    assert flat(NAR_REASON) in annex and clean_promotion.students[1].ine in annex  # in full in the annex
    assert "Le président ou la présidente du jury" in text and "Directeur de l'IUT" in text
    members = closed.members.splitlines()  # the names of the member users, as printed
    assert members and flat(text).count("Membre du jury") == len(members)  # one signature line per member
    assert all(name in flat(text) for name in members)
    assert f"Fait à Le Creusot, le {timezone.localdate(closed.closed_at).day}" in flat(text)


def test_the_pv_and_letters_are_made_at_closing_and_served_unchanged_after_the_identity_changes(
        settings, django_capture_on_commit_callbacks, client, users, clean_promotion, open_session, identity):
    settings.TASKS = IMMEDIATE
    session = open_session(clean_promotion, president=IDENTITY["president_name"])
    proposals_accept(session=session, user=users["jury"])
    with django_capture_on_commit_callbacks(execute=True):
        session = session_close(session=session, user=users["jury"])
    stored = {d.kind: bytes(d.pdf) for d in JuryRecordDocument.objects.filter(record=current_record(session))}
    assert set(stored) == {JuryRecordDocument.Kind.PV, JuryRecordDocument.Kind.LETTERS}
    assert all(data.startswith(b"%PDF") for data in stored.values())
    identity_update(user=users["direction"], iut="IUT renommé depuis", city="Autun")
    client.force_login(users["secretariat"])
    pv = client.get(reverse("jury:pv_pdf", args=[session.pk])).content
    letters = client.get(reverse("jury:letters_pdf", args=[session.pk])).content
    assert pv == stored[JuryRecordDocument.Kind.PV] and letters == stored[JuryRecordDocument.Kind.LETTERS]
    for text in (pdf_text(pv), pdf_text(letters)):
        assert IDENTITY["iut"] in text and "IUT renommé depuis" not in text and "Autun" not in text
    from jury.session_views import report_url

    assert "PV et lettres archivés à la clôture" in client.get(report_url(session)).content.decode()
    # what is made now (not archived) carries the new identity: the stored copies did not follow it
    assert "IUT renommé depuis" in pdf_text(pdf.pv_pdf(report=session_report(session), session=session))


def test_an_open_jury_s_pv_is_made_on_demand_and_nothing_is_stored(client, users, clean_promotion, open_session,
                                                                   identity):
    session = open_session(clean_promotion)
    client.force_login(users["jury"])
    text = pdf_text(client.get(reverse("jury:pv_pdf", args=[session.pk])).content)
    assert IDENTITY["iut"] in text and "Document provisoire" in text
    assert not JuryRecordDocument.objects.exists()


def test_the_command_makes_and_stores_a_closed_jury_s_documents_once(capsys, closed):
    import json

    from django.core.management import call_command

    capsys.readouterr()
    call_command("jury_session", "documents", str(closed.pk))
    out = json.loads(capsys.readouterr().out)
    assert sorted(out["made"]) == ["letters", "pv"] and all(size > 0 for size in out["stored"].values())
    call_command("jury_session", "documents", str(closed.pk))
    assert json.loads(capsys.readouterr().out)["made"] == []  # made once, kept
    assert JuryRecordDocument.objects.filter(record=current_record(closed)).count() == 2


def test_anonymising_a_student_drops_the_stored_letters_with_their_address_and_keeps_the_pv(settings, closed,
                                                                                              clean_promotion):
    from io import StringIO

    from django.core.management import call_command

    from jury.documents import record_documents_make

    record_documents_make(record_id=current_record(closed).pk)
    assert JuryRecordDocument.objects.count() == 2
    settings.STUDENT_DATA_YEARS = -5  # the retention time is past
    pv = JuryRecordDocument.objects.get(kind=JuryRecordDocument.Kind.PV)
    call_command("student_data", student=clean_promotion.students[0].ine, anonymise=True, stdout=StringIO())
    assert list(JuryRecordDocument.objects.values_list("pk", "pdf")) == [(pv.pk, pv.pdf)]  # the archive, unchanged


def test_an_odd_semester_jury_s_letters_say_the_results_stay_provisional(users, clean_promotion, identity):
    import datetime

    from jury.sessions import session_create

    session = session_create(semester_instances=[clean_promotion.s3], date=datetime.date(2026, 1, 20),
                             president="Mme Autre Présidente", user=users["jury"])
    letters = letters_of(letters_pdf(report=session_report(session), session=session))
    assert len(letters) == len(clean_promotion.students)
    for pages in letters:
        text = " ".join(pages)
        assert "Ils restent provisoires jusqu'au jury de fin d'année" in text and "UE3.1" in text
        assert "UE4.1" not in text and "Vous pouvez vous inscrire" not in text
        # a president other than the identity's default one signs with the plain role
        assert "Mme Autre Présidente Président ou présidente du jury" in text


def test_the_letters_attribute_the_dut_as_the_record_says_r18_not_as_the_ects_count(closed):
    from dataclasses import replace

    from grading.models import InstitutionIdentity
    from jury.attestations import diploma_of
    from jury.letters import DUT_REACHED, consequences

    report, record = session_report(closed), current_record(closed)
    recorded = {r.student_id: r for r in record.students.all()}
    for row in report.rows:  # the report read back from the record carries the record's R18 diplomas
        assert (row.dut, row.but) == (recorded[row.student.pk].figures["diplomas"]["dut"],
                                      recorded[row.student.pk].figures["diplomas"]["but"])
        assert (diploma_of(record, recorded[row.student.pk]) == "DUT") == (row.dut and not row.but)
    passing = next(row for row in report.rows if row.recorded in ("ADM", "PASD"))
    identity = InstitutionIdentity.objects.get()
    with_120 = replace(passing, ects_total=passing.ects_total.max(120))
    assert DUT_REACHED.strip() not in " ".join(consequences(replace(with_120, dut=False), report, identity))
    assert DUT_REACHED.strip() in " ".join(consequences(replace(with_120, dut=True), report, identity))
