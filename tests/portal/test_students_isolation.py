"""A student who changes an id in any of their URLs (page, PDF, JSON) gets 404; only their own data shows."""
import pytest
from django.urls import reverse
from test_students_urlconf_sweep import Access, access_of, kwargs_of, routes

from grading.models import AcademicYear, Enrolment, SemesterInstance

pytestmark = pytest.mark.django_db


@pytest.fixture
def bobs_only(year):
    """A semester instance where Bob is enrolled and Alice is not."""
    instance = SemesterInstance.objects.create(semester=year.instances[1].semester, label="rattrapage",
                                               academic_year=AcademicYear.objects.get(start_year=2025))
    Enrolment.objects.create(student=year.bob, semester_instance=instance)
    return instance


def student_routes_with_an_id():
    return [(name, pattern) for name, pattern in routes() if access_of(name) == Access.STUDENT and "<" in pattern]


def test_every_student_route_with_an_id_answers_404_for_an_id_not_theirs(student_client, year, bobs_only):
    assert {name for name, _ in student_routes_with_an_id()} == {
        "portal:my_bulletin_pdf", "portal:api_bulletin", "portal:my_justification_document"}
    missing = SemesterInstance.objects.order_by("-pk").first().pk + 1
    for name, pattern in student_routes_with_an_id():
        if name == "portal:my_justification_document":
            continue  # a justification's id: test_a_students_justification_documents_are_theirs_only
        for other in (bobs_only.pk, missing):
            url = reverse(name, kwargs=kwargs_of(pattern, {"instance": other}))
            assert student_client.get(url).status_code == 404, url
        own = reverse(name, kwargs=kwargs_of(pattern, {"instance": year.instances[1].pk}))
        assert student_client.get(own).status_code == 200, own


def test_the_same_routes_show_bob_his_own_data_and_not_alices(client, year, bobs_only):
    client.force_login(year.bob_user)
    listing = client.get(reverse("portal:api_semesters")).json()
    assert listing["etudiant"]["ine"] == year.bob.ine
    assert {s["id"] for s in listing["semestres"]} == {year.instances[1].pk, year.instances[2].pk, bobs_only.pk}
    bulletin = client.get(reverse("portal:api_bulletin", args=[bobs_only.pk])).json()
    assert bulletin["etudiant"]["nom"] == "Boucher"


def test_a_staff_account_without_a_student_record_has_no_bulletin(client, users, year):
    client.force_login(users["secretariat"])
    assert client.get(reverse("portal:api_bulletin", args=[year.instances[1].pk])).status_code == 404
    assert client.get(reverse("portal:my_bulletin_pdf", args=[year.instances[1].pk])).status_code == 404
    assert client.get(reverse("portal:api_semesters")).status_code == 404


def test_the_api_answers_401_in_json_to_an_anonymous_portal(client, year):
    response = client.get(reverse("portal:api_bulletin", args=[year.instances[1].pk]))
    assert response.status_code == 401 and response.json() == {"erreur": "Authentification requise."}


def test_a_students_justification_documents_are_theirs_only(student_client, client, users, year):
    import datetime

    from grading.models import Justification
    day = datetime.date(2025, 10, 6)
    alices, bobs = (Justification.objects.create(student=student, first_day=day, last_day=day, document=data,
                                                 content_type="application/pdf", filename="piece.pdf")
                    for student, data in ((year.alice, b"%PDF-alice"), (year.bob, b"%PDF-bob")))
    own = student_client.get(reverse("portal:my_justification_document", args=[alices.pk]))
    assert own.status_code == 200 and own.content == b"%PDF-alice"
    assert student_client.get(reverse("portal:my_justification_document", args=[bobs.pk])).status_code == 404
    assert student_client.get(reverse("grading:justification_document", args=[bobs.pk])).status_code == 403
    for role, status in (("teacher", 403), ("jury", 403), ("secretariat", 200), ("direction", 200)):
        client.force_login(users[role])
        assert client.get(reverse("grading:justification_document", args=[bobs.pk])).status_code == status, role
        assert client.get(reverse("portal:my_justification_document", args=[bobs.pk])).status_code == 404, role
