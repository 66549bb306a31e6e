"""Local (password) logins: who keeps one when CAS is on (BUTGMP_LOCAL_LOGIN and the per-user flag), and axes."""
from html import unescape

import pytest
from django.urls import reverse
from tests_accounts_helpers import PASSWORD, signed_in

from accounts.models import AccountProfile
from butgmp.roles import Role

pytestmark = pytest.mark.django_db


def log_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.fixture
def cas_configured(settings):
    settings.CAS_SERVER_URL = "https://cas.univ.example.fr/cas/"


@pytest.fixture
def people(make_user):
    flagged = make_user(Role.STUDENT, "etu-flag")
    AccountProfile.objects.create(user=flagged, local_login_allowed=True)
    flagged_teacher = make_user(Role.TEACHER, "vacataire")
    AccountProfile.objects.create(user=flagged_teacher, local_login_allowed=True)
    return {"student": make_user(Role.STUDENT, "etu"), "teacher": make_user(Role.TEACHER, "prof"),
            "direction": make_user(Role.DIRECTION, "dir"), "flagged": flagged, "flagged_teacher": flagged_teacher,
            "superuser": make_user(None, "root", is_superuser=True)}


@pytest.mark.parametrize("mode,cas,expected", [
    ("staff", False, {"student", "teacher", "direction", "flagged", "flagged_teacher", "superuser"}),
    ("all", True, {"student", "teacher", "direction", "flagged", "flagged_teacher", "superuser"}),
    ("staff", True, {"teacher", "direction", "flagged", "flagged_teacher", "superuser"}),
    ("flagged", True, {"flagged", "flagged_teacher", "superuser"}),
])
def test_who_may_sign_in_with_a_password(client, settings, people, mode, cas, expected):
    settings.BUTGMP_LOCAL_LOGIN = mode
    settings.CAS_SERVER_URL = "https://cas.univ.example.fr/cas/" if cas else ""
    allowed = set()
    for name, user in people.items():
        client.logout()
        log_in(client, user.username)
        if signed_in(client) == user:
            allowed.add(name)
    assert allowed == expected


def test_a_refused_local_login_says_to_use_the_cas(client, settings, people, cas_configured):
    settings.BUTGMP_LOCAL_LOGIN = "staff"
    response = log_in(client, "etu")
    assert response.status_code == 200 and signed_in(client) is None
    assert response.wsgi_request.local_login_refused is True
    assert "se connecte par le CAS de l'université" in unescape(response.content.decode())


def test_a_wrong_password_tells_nothing_about_the_cas(client, settings, people, cas_configured):
    settings.BUTGMP_LOCAL_LOGIN = "staff"
    response = log_in(client, "etu", "faux")
    assert not hasattr(response.wsgi_request, "local_login_refused")
    assert "se connecte par le CAS" not in response.content.decode()


def test_axes_still_locks_out_local_logins_after_repeated_failures(client, settings, people, cas_configured):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        log_in(client, "prof", "faux")
    locked = log_in(client, "prof")  # the right password, too late
    assert locked.status_code == 429
    assert "Connexion temporairement bloquée" in locked.content.decode()
    assert signed_in(client) is None
