"""Security: login throttling, CSRF on every form, password rules, production settings, demo data refused."""
import os
import re
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory
from django.urls import reverse

from butgmp.security import client_ip

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {"DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "gmp.iut.example.fr",
              "CSRF_TRUSTED_ORIGINS": "https://gmp.iut.example.fr"}


def log_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_the_login_locks_after_five_failures_even_with_the_right_password(client, users):
    for _ in range(4):
        assert log_in(client, "etudiant", "mauvais").status_code == 200
    assert log_in(client, "etudiant", "mauvais").status_code == 429  # the fifth failure locks
    response = log_in(client, "etudiant", "pw")
    assert response.status_code == 429
    assert "Connexion temporairement bloquée" in response.content.decode()
    # Counted per login and address: another user at the same address still logs in.
    assert log_in(Client(), "secretariat", "pw").status_code == 302


@pytest.mark.django_db
def test_a_successful_login_resets_the_failure_count(client, users):
    for _ in range(4):
        log_in(client, "etudiant", "mauvais")
    assert log_in(client, "etudiant", "pw").status_code == 302
    client.logout()
    for _ in range(4):
        log_in(client, "etudiant", "mauvais")
    assert log_in(client, "etudiant", "pw").status_code == 302


def test_behind_a_trusted_proxy_the_client_is_the_last_forwarded_hop(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_ip(request) == "10.0.0.2"
    settings.TRUST_X_FORWARDED_FOR = True
    assert client_ip(request) == "203.0.113.9"  # the first hop comes from the client: never trusted


@pytest.mark.django_db
@pytest.mark.parametrize("route,args", [("portal:my_notices", []), ("portal:student_accounts", ["instance"]),
                                        ("portal:publication", ["instance"]), ("login", [])])
def test_a_post_without_csrf_token_is_refused(users, year, route, args):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["direction"] if args else users["student"])
    url = reverse(route, args=[year.instances[1].pk for _ in args])
    assert client.post(url, {"scope": "all", "target": "semester", "published": "1"}).status_code == 403


def test_every_post_form_of_every_template_carries_a_csrf_token():
    forms = []
    for template in (ROOT / "templates").rglob("*.html"):
        for form in re.findall(r"<form[^>]*method=\"post\"[^>]*>.*?</form>", template.read_text(), re.S | re.I):
            forms.append((template.name, "{% csrf_token %}" in form))
    assert len(forms) >= 10
    assert [name for name, ok in forms if not ok] == []


@pytest.mark.django_db
def test_passwords_equal_to_the_login_or_purely_numeric_are_refused():
    user = User(username="dupont.marie", first_name="Marie", last_name="Dupont")
    for weak in ("dupont.marie", "Dupont.Marie1", "20250914071"):
        with pytest.raises(ValidationError):
            validate_password(weak, user=user)
    validate_password("Rivets-et-boulons-42", user=user)


def manage(*args, **env):
    # DJANGO_ALLOW_ASYNC_UNSAFE (set by the browser tests) is itself a deploy warning: not production's.
    unset = {"SECRET_KEY", "DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    full_env = {k: v for k, v in os.environ.items() if k not in unset}
    full_env.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True,
                          text=True, timeout=120)


def test_check_deploy_is_clean_with_the_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_behind_a_tls_proxy_each_protection_can_be_switched_off_and_check_deploy_says_so():
    result = manage("check", "--deploy", **PRODUCTION, SECURE_SSL_REDIRECT="false", SECURE_HSTS_SECONDS="0",
                    SECURE_COOKIES="false")
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stdout + result.stderr


def test_make_demo_refuses_to_run_with_debug_off_unless_forced(settings, db):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuse de tourner en production"):
        call_command("make_demo")
    assert not User.objects.filter(username="direction").exists()
    call_command("make_demo", "--force", "--students", "6", stdout=StringIO())
    assert User.objects.get(username="direction").check_password("demo")
