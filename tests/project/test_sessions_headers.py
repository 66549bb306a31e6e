"""Sessions end after the idle time (sliding, at most one write a minute); every page carries the CSP and the
Permissions-Policy; passwords are at least 12 characters long."""
from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from butgmp import sessions


def expiry(client) -> timedelta:
    return Session.objects.get(session_key=client.session.session_key).expire_date - timezone.now()


@pytest.mark.django_db
def test_a_session_expires_after_two_idle_hours_and_each_request_pushes_it_back(client, users, monkeypatch):
    client.force_login(users["secretariat"])
    client.get(reverse("dashboard:home"))
    assert timedelta(hours=1, minutes=59) < expiry(client) <= timedelta(hours=2)
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=30))  # 90 minutes of idleness later…
    clock = sessions.time.time() + 90 * 60
    monkeypatch.setattr(sessions.time, "time", lambda: clock)
    client.get(reverse("dashboard:home"))  # …a request gives two hours again
    assert expiry(client) > timedelta(hours=1, minutes=59)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))  # two idle hours have passed
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_within_a_minute_a_request_writes_no_session(client, users):
    client.force_login(users["secretariat"])
    client.get(reverse("login"))
    before = Session.objects.get().expire_date
    client.get(reverse("login"))
    assert Session.objects.get().expire_date == before


@pytest.mark.django_db
@pytest.mark.parametrize("who", [None, "secretariat", "student"])
def test_every_page_carries_the_content_security_policy_and_the_permissions_policy(client, users, who):
    if who:
        client.force_login(users[who])
    response = client.get(reverse("dashboard:home"), follow=True)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";", 1)[0]
    assert "camera=()" in response["Permissions-Policy"]


def test_a_password_needs_twelve_characters():
    with pytest.raises(ValidationError, match="12 caractères"):
        validate_password("Boulon-2026")  # 11
    validate_password("Boulons-2026")  # 12


@pytest.mark.django_db
def test_not_staying_logged_in_ends_the_session_with_the_browser(client, users):
    response = client.post(reverse("login"), {"username": "secretariat", "password": "pw",
                                              "browser_session": "on"})
    assert response.status_code == 302
    assert client.session.get_expire_at_browser_close()
    assert not response.cookies["sessionid"]["expires"] and not response.cookies["sessionid"]["max-age"]
    other = type(client)()
    other.post(reverse("login"), {"username": "secretariat", "password": "pw"})
    assert not other.session.get_expire_at_browser_close()


@pytest.mark.django_db
def test_every_local_user_changes_their_password_on_their_own_page(client, users):
    client.force_login(users["teacher"])
    assert 'href="/compte/changer-mot-de-passe/"' in client.get(reverse("dashboard:home"), follow=True).content.decode()
    response = client.post(reverse("password_change"), {"old_password": "pw", "new_password1": "court",
                                                        "new_password2": "court"})
    assert "minimum 12 caractères" in response.content.decode()
    response = client.post(reverse("password_change"), {"old_password": "pw", "new_password1": "Rivets-et-tenons",
                                                        "new_password2": "Rivets-et-tenons"})
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    users["teacher"].refresh_from_db()
    assert users["teacher"].check_password("Rivets-et-tenons")
    assert client.get(reverse("dashboard:home")).status_code in (200, 302)  # still logged in
