"""Publication gating: nothing unpublished reaches a student, on the page, in the PDF or in the JSON."""
import re
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader
from students_world import jury, publish_grades

from grading.engine.codes import DecisionCode, JuryLevel
from grading.models import AcademicYear, Enrolment, Evaluation, SemesterInstance

pytestmark = pytest.mark.django_db

CODES = re.compile(r"\b(ADM|CMP|AJ|ADSUP|ADJ|ADJR|ATT|PASD|RED|NAR)\b")
# Alice's figures (tests/portal/conftest.py): grades, UE and RCUE averages.
ALICE_FIGURES = ["14,25", "5,75", "10,5", "9,5", "12,13", "7,88", "10,25", "9,75", "11,19", "8,81"]


def page_results(client) -> str:
    """Return the results part of the page (the legend, which names every code, left out)."""
    html = client.get(reverse("portal:my_results")).content.decode()
    return html.split('id="legende"')[0]


def pdf_text(content: bytes) -> str:
    """Return the PDF's text but its legend (« Comment lire : … valide le niveau. »), which names every code."""
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)
    assert "Comment lire" in text
    return re.sub(r"Comment lire :.*?valide\s+le\s+niveau\.", "", text, flags=re.S)


def api(client, world, number):
    return client.get(reverse("portal:api_bulletin", args=[world.instances[number].pk])).json()


def test_before_publication_the_page_shows_non_publie_and_no_figure_or_code(student_client, year):
    page = page_results(student_client)
    assert "non publié" in page
    assert not CODES.findall(page)
    for figure in ALICE_FIGURES:
        assert figure not in page
    assert "<strong>0 ECTS acquis</strong>" in page


def test_before_publication_the_json_holds_no_grade_average_code_or_ects(student_client, year):
    for number in (1, 2):
        bulletin = api(student_client, year, number)
        assert bulletin["ects_acquis"] == 0 and bulletin["ects_semestre"] is None
        assert bulletin["decision_annee"] is None and bulletin["provisoire"] is True
        for ue in bulletin["ues"]:
            assert (ue["moyenne"], ue["decision"], ue["ects"]) == (None, None, None)
            for module in ue["modules"]:
                assert module["moyenne"] is None
                assert [(g["publiee"], g["note"]) for g in module["evaluations"]] == [(False, None)]
        assert all(r["moyenne"] is None and r["decision"] is None for r in bulletin["rcues"])


def test_before_publication_the_pdf_holds_no_figure_or_code(student_client, year):
    content = student_client.get(reverse("portal:my_bulletin_pdf", args=[year.instances[2].pk])).content
    text = pdf_text(content)
    assert "non publié" in text and "ECTS acquis à ce jour : 0" in text
    assert not CODES.findall(text)
    for figure in ALICE_FIGURES:
        assert figure not in text


def test_one_published_evaluation_gives_a_provisional_average_from_it_alone(student_client, year):
    Evaluation.objects.filter(pk=year.evaluations["DS1"].pk).update(is_published=True)
    bulletin = api(student_client, year, 1)
    ue = {u["code"]: u for u in bulletin["ues"]}
    # R1.02's TP is unpublished: the module drops out (R3/R4), both UEs average DS alone.
    assert ue["UE1.1"]["moyenne"] == 14.25 and ue["UE1.2"]["moyenne"] == 14.25
    assert ue["UE1.1"]["decision"] is None and ue["UE1.1"]["ects"] is None
    grades = {g["intitule"]: g["note"] for m in ue["UE1.1"]["modules"] for g in m["evaluations"]}
    assert grades == {"DS S1": 14.25, "TP S1": None}
    page = page_results(student_client)
    assert "14,25" in page and "provisoire" in page and "5,75" not in page
    assert not CODES.findall(page)


def test_published_grades_without_a_published_jury_show_averages_but_no_code_nor_ects(student_client, year,
                                                                                      users):
    publish_grades(year)
    jury(year, 1, user=users["direction"], published=False)  # closed, not published
    bulletin = api(student_client, year, 2)
    assert {u["code"]: u["moyenne"] for u in bulletin["ues"]} == {"UE2.1": 10.25, "UE2.2": 9.75}
    assert {r["libelle"]: r["moyenne"] for r in bulletin["rcues"]} == {"Spécifier — niveau 1": 11.19,
                                                                       "Développer — niveau 1": 8.81}
    assert all(u["decision"] is None and u["ects"] is None for u in bulletin["ues"])
    assert all(r["decision"] is None for r in bulletin["rcues"])
    assert bulletin["decision_annee"] is None and bulletin["ects_acquis"] == 0
    text = pdf_text(student_client.get(reverse("portal:my_bulletin_pdf", args=[year.instances[2].pk])).content)
    assert "11,19" in text and "provisoire" in text and not CODES.findall(text)


def test_the_s1_jury_shows_its_own_codes_and_no_provisional_year_compensation(student_client, year, users):
    publish_grades(year)
    jury(year, 1, user=users["direction"])
    s1, s2 = api(student_client, year, 1), api(student_client, year, 2)
    # R13: the odd-semester jury gives UE codes only; UE1.2 stays AJ (the year jury has not sat).
    assert {u["code"]: (u["decision"], u["ects"]) for u in s1["ues"]} == {"UE1.1": ("ADM", 15), "UE1.2": ("AJ", 0)}
    assert s1["decisions_publiees"] is True and s1["ects_acquis"] == 15
    assert all(u["decision"] is None for u in s2["ues"]) and s2["decision_annee"] is None
    assert all(r["decision"] is None for r in s2["rcues"])


def test_after_both_juries_the_student_reads_rcue_codes_year_decision_and_ects(student_client, year, users):
    publish_grades(year)
    jury(year, 1, user=users["direction"])
    jury(year, 2, user=users["direction"])
    s2 = api(student_client, year, 2)
    assert {r["libelle"]: (r["moyenne"], r["decision"]) for r in s2["rcues"]} == {
        "Spécifier — niveau 1": (11.19, "ADM"), "Développer — niveau 1": (8.81, "AJ")}
    assert s2["decision_annee"] == "RED" and s2["ects_acquis"] == 30 and s2["provisoire"] is False
    page = page_results(student_client)
    assert "Spécifier — niveau 1" in page and "11,19" in page and "RED" in page


def test_a_decision_of_an_unpublished_jury_stays_hidden_until_published(student_client, year, users):
    publish_grades(year)
    jury(year, 1, user=users["direction"])
    jury(year, 2, user=users["direction"])
    # A second S2 jury grants C2-1 by ADJ: not published yet, the student still reads AJ and RED.
    late = jury(year, 2, user=users["direction"], published=False,
                decisions=[(year.alice, JuryLevel.RCUE, "C2-1", DecisionCode.ADJ)])
    s2 = api(student_client, year, 2)
    assert s2["decision_annee"] == "RED" and s2["ects_acquis"] == 30
    late.published_at = late.closed_at
    late.save()
    s2 = api(student_client, year, 2)
    # R16: RCUE ADJ → its UEs under 10 become ADJR (with their ECTS), every RCUE validated → year ADM.
    assert {r["cle"]: r["decision"] for r in s2["rcues"]} == {"C1-1": "ADM", "C2-1": "ADJ"}
    assert {u["code"]: u["decision"] for u in s2["ues"]} == {"UE2.1": "ADM", "UE2.2": "ADJR"}
    assert s2["decision_annee"] == "ADM" and s2["ects_acquis"] == 60


def test_another_students_grades_never_appear(student_client, year, users):
    publish_grades(year)
    jury(year, 1, user=users["direction"])
    jury(year, 2, user=users["direction"])
    page = page_results(student_client)
    assert year.bob.last_name not in page and "4,00" not in page
    assert api(student_client, year, 1)["ues"][0]["moyenne"] == 12.13


def test_a_repeating_student_sees_the_ue_capitalised_at_a_published_jury_and_nothing_else(student_client, year,
                                                                                          users):
    publish_grades(year)
    jury(year, 1, user=users["direction"])
    jury(year, 2, user=users["direction"])
    repeat = SemesterInstance.objects.create(semester=year.instances[1].semester,
                                             academic_year=AcademicYear.objects.create(start_year=2026))
    Enrolment.objects.create(student=year.alice, semester_instance=repeat, is_repeat=True)
    bulletin = student_client.get(reverse("portal:api_bulletin", args=[repeat.pk])).json()
    ues = {u["code"]: (u["moyenne"], u["decision"], u["ects"], u["capitalisee"]) for u in bulletin["ues"]}
    # R11: UE1.1 acquired in 2025 keeps its code, ECTS and average; UE1.2 (AJ) shows no code until the new jury.
    assert ues == {"UE1.1": (12.13, "ADM", 15, True), "UE1.2": (None, None, None, False)}
    page = page_results(student_client)
    assert page.count("capitalisée") == 2  # one UE: in the wide table and in the narrow screen's cards
