"""Roles are groups created by a migration; the home page sends each role to its work."""
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User

from butgmp.roles import Role


@pytest.mark.django_db
def test_the_migration_creates_the_five_roles():
    """Run the migration's own function (a transactional test elsewhere in the worker may have flushed its rows)."""
    migration = import_module("butgmp.migrations.0001_roles")
    Group.objects.filter(name__in=migration.ROLES).delete()
    migration.create_roles(apps, None)
    migration.create_roles(apps, None)  # twice: nothing doubled
    assert sorted(Group.objects.values_list("name", flat=True)) == sorted(
        ["Direction", "Secrétariat", "Enseignant", "Jury", "Étudiant"])
    assert set(migration.ROLES) == {role.value for role in Role}


def user_with(role):
    user = User.objects.create_user(username=f"u-{role}", password="pw")
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_french_login_page(client):
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/connexion/")
    page = client.get("/connexion/")
    assert "Mot de passe" in page.content.decode()


@pytest.mark.django_db
def test_a_student_is_sent_straight_to_their_results(client):
    client.force_login(user_with(Role.STUDENT))
    response = client.get("/")
    assert response.status_code == 302 and response.url == "/notes/mes-resultats/"


@pytest.mark.django_db
@pytest.mark.parametrize("role, link", [
    (Role.DIRECTION, "/admin/"),
    (Role.SECRETARIAT, "/notes/"),
    (Role.TEACHER, "/notes/"),
    (Role.JURY, "/programmes/"),
])
def test_staff_see_the_entry_points_of_their_role(client, role, link):
    client.force_login(user_with(role))
    response = client.get("/")
    assert response.status_code == 200
    assert f'href="{link}"' in response.content.decode()


@pytest.mark.django_db
def test_a_jury_member_gets_the_results_but_no_grade_entry(client):
    client.force_login(user_with(Role.JURY))
    page = client.get("/").content.decode()
    assert "Résultats des semestres" in page
    assert "Saisie des notes" not in page


@pytest.mark.django_db
def test_a_refusal_is_explained_in_french(client):
    client.force_login(user_with(Role.STUDENT))
    response = client.get("/programmes/")
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()
