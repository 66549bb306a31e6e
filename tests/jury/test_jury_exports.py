"""The PV de jury (PDF and .xlsx) and the decision letters: names, codes, totals; official codes only."""
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from butgmp.spreadsheets import formula_cells
from grading.engine.codes import JuryLevel
from grading.models import Student
from jury.decisions import decision_override, proposals_accept
from jury.exports import pv_workbook
from jury.report import jury_report
from jury.scope import scope_for
from jury.sessions import session_close
from tests.jury.one_truth_outputs import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(users, clean_promotion, open_session):
    """A closed jury: one override, the other proposals accepted."""
    session = open_session(clean_promotion)
    first = clean_promotion.students[0].enrolments.get(semester_instance=clean_promotion.s4)
    decision_override(enrolment=first, level=JuryLevel.YEAR, subject="2", code="PAS1NCI",
                      reason="Stage réussi, le jury accorde le passage", user=users["jury"], session=session)
    proposals_accept(session=session, user=users["jury"])
    return session_close(session=session, user=users["jury"])


def test_the_pv_pdf_holds_names_codes_and_totals(client, users, clean_promotion, decided):
    client.force_login(users["jury"])
    response = client.get(reverse("jury:pv_pdf", args=[decided.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    report = jury_report(scope=scope_for(clean_promotion.s3, year=True))
    for row in report.rows:
        assert row.student.last_name in text and row.student.ine in text
    assert "PAS1NCI" in text and "Mme Présidente" in text and "Jules Juré" in text  # the members, users, by name
    assert "IUT de démonstration" in text and "Totaux par décision" in text and "Signature" in text
    totals = {}
    for row in report.rows:
        totals[row.recorded] = totals.get(row.recorded, 0) + 1
    for code, count in totals.items():
        assert any(line.split()[:2] == [code, str(count)] for line in text.splitlines() if line.strip())
    # the jury's reason is its observation (a column of the PV); the engine's rule ids are not printed
    assert "Observations" in text and all(word in text.split() for word in ("Stage", "réussi,", "accorde", "passage"))
    assert "R16" not in text and "R9 " not in text
    assert "Document provisoire" not in text  # the jury is closed
    assert "page 1 / " in text


def test_the_pv_repeats_its_header_on_every_page(client, users, open_session):
    from demo.jury_promotion import make_promotion
    from jury.pdf import pv_pdf

    promotion = make_promotion(students=80, seed=9)
    report = jury_report(scope=scope_for(promotion.s3, year=True))
    pages = pdf_text(pv_pdf(report=report, session=open_session(promotion))).split("\f")
    pages = [p for p in pages if p.strip()]
    table = [p for p in pages if "Annexe : les résultats" not in p and "Taux de réussite" not in p]  # the annex
    assert len(table) >= 2 and len(pages) > len(table)
    assert all("UE3.1" in page and "Nom" in page for page in table)
    assert "Document provisoire" in pages[0]


def test_the_letters_hold_one_page_per_student_in_plain_french(client, users, clean_promotion, decided):
    client.force_login(users["jury"])
    response = client.get(reverse("jury:letters_pdf", args=[decided.pk]))
    pages = [" ".join(p.split()) for p in pdf_text(response.content).split("\f") if p.strip()]
    assert len(pages) == 10
    first = clean_promotion.students[0]
    assert first.last_name in pages[0] and "avec un niveau de compétence" in pages[0]
    assert all("ECTS" in page and "UE4.4" in page and "Exploiter (C4-2)" in page for page in pages)
    assert "acquise par compensation" in " ".join(pages) and "validée" in pages[0]
    assert all("R16" not in page for page in pages)


def test_the_pv_workbook_holds_the_table_and_the_totals(clean_promotion, decided):
    for number, student in enumerate(clean_promotion.students, start=1):
        Student.objects.filter(pk=student.pk).update(nip=f"219{number:05d}")
    report = jury_report(scope=scope_for(clean_promotion.s3, year=True))
    data = pv_workbook(report=report, session=decided)
    ws = load_workbook(BytesIO(data))["PV"]
    headers = [c.value for c in ws[5]]
    assert headers[:6] == ["Nom", "Prénom", "INE", "NIP", "Parcours", "Statut"]
    assert headers[6:8] == ["UE3.1 moyenne", "UE3.1 code"] and headers[-1] == "Décision"
    first = report.rows[0]
    line = [c.value for c in ws[6]]
    assert line[:4] == [first.student.last_name, first.student.first_name, first.student.ine, first.student.nip]
    assert f"{line[6]:.2f}" == first.ues["UE3.1"].average and line[7] == first.ues["UE3.1"].code
    assert line[-1] == first.recorded
    labels = [ws.cell(row=r, column=1).value for r in range(1, ws.max_row + 1)]
    totals_at = labels.index("Totaux par décision") + 1
    assert sum(ws.cell(row=r, column=2).value for r in range(totals_at + 1, ws.max_row + 1)) == 10
    assert formula_cells(data) == []


def test_a_name_that_looks_like_a_formula_stays_text(clean_promotion, open_session):
    student = clean_promotion.students[0]
    student.last_name = "=HYPERLINK(\"http://evil\")"
    student.save()
    data = pv_workbook(report=jury_report(scope=scope_for(clean_promotion.s3, year=True)),
                       session=open_session(clean_promotion))
    assert formula_cells(data) == []
    ws = load_workbook(BytesIO(data))["PV"]
    assert "=HYPERLINK(\"http://evil\")" in [ws.cell(row=r, column=1).value for r in range(6, 16)]


def test_the_pv_ends_with_an_annex_of_its_statistics(client, users, clean_promotion, decided):
    client.force_login(users["jury"])
    text = pdf_text(client.get(reverse("jury:pv_pdf", args=[decided.pk])).content)
    annex = text.split("Annexe : les résultats en un coup d'œil")[1]
    report = jury_report(scope=scope_for(clean_promotion.s3, year=True))
    assert "Répartition des moyennes" in annex and "Taux de réussite par groupe et par parcours" in annex
    assert "En un coup d'œil" not in annex  # titled once, by the annex
    passed = sum(row.recorded in {"ADM", "PASD", "PAS1NCI", "ADJ"} for row in report.rows)
    tous = next(line for line in annex.splitlines() if line.strip().startswith("Tous"))
    assert f"({passed}/{len(report.rows)})" in tous  # the year's pass rate, last column
