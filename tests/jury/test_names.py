"""Names people recognise: a jury by its promotion and date (never a programme's code alone), two versions of a
programme told apart wherever one is chosen or listed."""
import datetime
import re

from django.contrib.messages import get_messages
from django.urls import reverse

from curriculum.versions import programme_new_version
from grading.forms.semesters import SemesterInstanceForm
from grading.models import SemesterInstance
from grading.models.semesters import iut_place
from grading.naming import jury_label, promotion_label
from jury.scope import promotions
from jury.sessions import session_create


def expected_promotion(promotion) -> str:
    programme = promotion.s3.semester.programme
    modality = {"alternance": "alternance", "initiale": "formation initiale"}[programme.modality]
    return (f"BUT{promotion.s3.semester.year} {programme.parcours.code} {modality} — "
            f"{iut_place(programme.iut)} — {promotion.s3.academic_year}")


def test_a_year_jury_is_named_by_its_promotion_and_its_date(clean_promotion, open_session):
    session = open_session(clean_promotion)
    label = jury_label(session)
    assert label == f"{expected_promotion(clean_promotion)} — jury du {session.date:%d/%m/%Y}"
    assert clean_promotion.s3.semester.programme.code not in label
    assert promotion_label([clean_promotion.s4, clean_promotion.s3]) == expected_promotion(clean_promotion)


def test_an_odd_semester_jury_says_which_semester(clean_promotion, users):
    session = session_create(semester_instances=[clean_promotion.s3], date=datetime.date(2026, 1, 20),
                             president="Mme Présidente", members="", user=users["jury"])
    assert jury_label(session) == f"{expected_promotion(clean_promotion)} — jury de S3 du 20/01/2026"


def test_the_jury_pages_list_juries_by_their_names(client, users, clean_promotion, open_session):
    session = open_session(clean_promotion)
    client.force_login(users["jury"])
    home = client.get(reverse("jury:home")).content.decode()
    assert expected_promotion(clean_promotion) in home
    assert f">{jury_label(session)}</a>" in home
    report = client.get(reverse("jury:session_detail", args=[session.pk]), follow=True).content.decode()
    assert f"<h2>{jury_label(session)} <span" in report
    assert f"<strong>{expected_promotion(clean_promotion)}</strong>" in report
    assert f"Jurys</a> › S3–S4 · {expected_promotion(clean_promotion)}</p>" in report  # the path, not a code
    assert clean_promotion.s3.semester.programme.code not in report.split("<h1")[0]
    listed = next(p for p in promotions() if clean_promotion.s3 in p.instances)
    assert listed.labelled_sessions == [(session, jury_label(session))]


def test_two_versions_of_a_programme_are_told_apart_in_the_semester_form_and_the_programme_list(
        client, users, clean_promotion):
    original = clean_promotion.s3.semester.programme
    newer = programme_new_version(programme=original, code=f"{original.code}-v2", first_year=original.first_year,
                                  user=users["direction"])
    assert str(newer) == str(original)  # what the pages used to show: twice the same words
    choices = {label for value, label in SemesterInstanceForm().fields["semester"].choices if value}
    s3 = [label for label in choices if label.startswith("S3 ")]
    assert len(s3) == 2 and len(set(s3)) == 2
    assert any(f"version 1 ({original.code})" in label for label in s3)
    assert any(f"version 2 ({newer.code})" in label for label in s3)
    client.force_login(users["direction"])
    listing = client.get(reverse("curriculum:programme_list")).content.decode()
    years = f"{original.first_year}-{original.first_year + 1}"
    assert f"version 1 ({original.code}), depuis {years}" in listing
    assert f"version 2 ({newer.code}), depuis {years}" in listing
    assert len(re.findall(r"version \d \(", listing)) == 2
    SemesterInstance.objects.create(semester=newer.semesters.get(number=3),
                                    academic_year=clean_promotion.s3.academic_year, label="B")
    client.force_login(users["secretariat"])
    semesters = client.get(reverse("grading:semester_list")).content.decode()
    assert f"version 1 ({original.code})" in semesters and f"version 2 ({newer.code})" in semesters


def test_opening_a_jury_names_it(client, users, clean_promotion):
    client.force_login(users["jury"])
    response = client.post(reverse("jury:session_create", args=["annee", clean_promotion.s3.pk]),
                           {"date": "2026-06-24", "president": "Mme Présidente"})
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == (f"Jury ouvert ({expected_promotion(clean_promotion)} — jury du 24/06/2026) : vous pouvez "
                       "enregistrer ses décisions.")
