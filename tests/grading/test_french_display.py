"""French, consistently: Paris times in one format, people by their names, semesters and groups as people say them."""
import html
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from butgmp.people import person_name
from butgmp.times import paris_datetime
from grading.models import GradeChange, Group, ImportBatch, SemesterInstance, SemesterLockEvent, iut_place
from grading.services.grades import grade_set, grades_import
from grading.services.semesters import semester_lock

pytestmark = pytest.mark.django_db

WINTER = datetime(2026, 1, 15, 13, 5, tzinfo=UTC)  # 14:05 in Paris (UTC+1)
SUMMER = datetime(2026, 7, 15, 13, 5, tzinfo=UTC)  # 15:05 in Paris (UTC+2)


def test_moments_are_shown_in_paris_time_summer_and_winter():
    assert paris_datetime(WINTER) == "15/01/2026 à 14:05"
    assert paris_datetime(SUMMER) == "15/07/2026 à 15:05"
    assert paris_datetime(None) == ""


def test_people_are_named_by_their_names_or_their_login_when_nameless(users, make_user):
    assert person_name(users["secretariat"]) == "Sacha Secrétaire"
    assert person_name(make_user(username="sans-nom")) == "sans-nom"
    assert person_name(None) == ""


def test_the_grade_history_shows_names_paris_times_and_the_import_reference(secretariat_client, users, evaluation,
                                                                             enrolments):
    grades_import(evaluation=evaluation, rows=[(enrolments[0].pk, "12")], user=users["secretariat"],
                           filename="notes.xlsx")
    grade_set(evaluation=evaluation, enrolment=enrolments[0], raw="13", user=users["direction"])
    GradeChange.objects.filter(new_value="12").update(at=SUMMER)
    GradeChange.objects.filter(new_value="13").update(at=WINTER)
    ImportBatch.objects.update(at=SUMMER)
    url = reverse("grading:grade_history", args=[evaluation.pk, enrolments[0].pk])
    page = html.unescape(secretariat_client.get(url).content.decode())
    assert "Sacha Secrétaire" in page and "Dora Directrice" in page
    assert ">secretariat<" not in page and ">direction<" not in page
    assert "15/07/2026 à 15:05" in page and "15/01/2026 à 14:05" in page
    assert "notes.xlsx (15/07/2026 à 15:05)" in page  # the import reference, in the same time and format
    imports = html.unescape(secretariat_client.get(reverse("grading:evaluation_grid", args=[evaluation.pk]))
                            .content.decode())
    assert "15/07/2026 à 15:05" in imports and "Sacha Secrétaire" in imports


def test_the_lock_log_shows_paris_time_and_names(client, users, instance):
    semester_lock(semester_instance=instance, user=users["direction"], reason="Jury du 20 janvier")
    SemesterLockEvent.objects.update(at=WINTER)
    client.force_login(users["direction"])
    page = html.unescape(client.get(reverse("grading:semester_detail", args=[instance.pk])).content.decode())
    assert "Verrouillage le 15/01/2026 à 14:05 par Dora Directrice – Jury du 20 janvier" in page


def test_semesters_are_named_as_people_say_them(instance):
    instance = SemesterInstance.objects.select_related("semester__programme__parcours").get(pk=instance.pk)
    assert str(instance) == "S1 — MPI initiale — test — 2025-2026"  # the test programme's IUT is "IUT de test"
    instance.label = "rattrapage"
    assert str(instance) == "S1 rattrapage — MPI initiale — test — 2025-2026"


@pytest.mark.parametrize("name, kind, shown", [
    ("A", "TD", "TD A"), ("2", "TP", "TP 2"),
    ("TD1", "TD", "TD1"), ("TD C", "TD", "TD C"), ("tp-3", "TP", "tp-3"),  # the name says its kind already
    ("TDA", "TD", "TD TDA"),  # a name that only starts with the letters
])
def test_groups_are_named_without_repeating_their_kind(name, kind, shown):
    assert str(Group(name=name, kind=kind)) == shown


@pytest.mark.parametrize("iut,place", [("IUT Dijon-Auxerre", "Dijon-Auxerre"), ("IUT Le Creusot", "Le Creusot"),
                                       ("IUT de Dijon", "Dijon"), ("IUT d'Évry", "Évry"), ("Lycée X", "Lycée X")])
def test_the_iut_is_named_by_its_place(iut, place):
    assert iut_place(iut) == place


def test_the_demo_users_have_names(db):
    call_command("make_demo", "--force", stdout=StringIO())  # the programmes are not loaded: users only
    names = {u.username: person_name(u) for u in User.objects.all()}
    assert {login: names[login] for login in ("direction", "secretariat", "enseignant", "jury", "etudiant")} == {
        "direction": "Nicole Perrin", "secretariat": "Sophie Gauthier", "enseignant": "Étienne Marchal",
        "jury": "Julien Caron", "etudiant": "Léa Bernard"}
    assert len(names) == 13 and all(name != login for login, name in names.items())  # and eight more teachers
    User.objects.filter(username="jury").update(first_name="", last_name="")
    call_command("make_demo", "--force", stdout=StringIO())
    assert person_name(User.objects.get(username="jury")) == "Julien Caron"
