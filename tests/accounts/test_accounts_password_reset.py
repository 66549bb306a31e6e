"""« Mot de passe oublié »: the request, the e-mail sent by the database worker, the link, the throttle."""
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.password_validation import password_validators_help_texts
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult

from accounts.services.password_reset import THROTTLED
from butgmp.roles import Role

pytestmark = pytest.mark.django_db
LINK_RE = re.compile(r"http://testserver(/compte/nouveau-mot-de-passe/[^/]+/[^/]+/)")


@pytest.fixture
def worker(settings, monkeypatch):
    """Run the real database worker over the queued tasks (inside the test's transaction)."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    def run():
        call_command("db_worker", batch=True, no_startup_delay=True, queue_name="*", stdout=StringIO(),
                     stderr=StringIO())

    return run


def ask(client, address):
    return client.post(reverse("accounts:password_forgotten"), {"email": address})


def test_the_link_comes_by_the_worker_and_sets_a_new_password(client, make_user, worker):
    teacher = make_user(Role.TEACHER, "mdupont", email="Marie.Dupont@iut.example.fr", first_name="Marie",
                        last_name="Dupont")
    response = ask(client, "marie.dupont@iut.example.fr")
    assert response.status_code == 302 and response.url == reverse("accounts:password_forgotten_done")
    assert mail.outbox == []  # nothing is sent in the request: the worker sends it
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs["kwargs"] == {"user_id": teacher.pk, "base_url": "http://testserver"}  # no token
    worker()
    [message] = mail.outbox
    assert message.to == ["Marie.Dupont@iut.example.fr"]
    assert message.subject == "BUT GMP : choisir un nouveau mot de passe"
    assert "Bonjour Marie Dupont" in message.body and "identifiant : mdupont" in message.body
    assert "valable 7 jours" in message.body
    link = LINK_RE.search(message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choisir un nouveau mot de passe" in form_page.content.decode()
    for rule in password_validators_help_texts():  # the rules are shown on the form
        assert escape(rule) in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    weak = client.post(set_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert "entièrement numérique" in weak.content.decode()
    done = client.post(set_url, {"new_password1": "Tournevis-42", "new_password2": "Tournevis-42"})
    assert done.url == reverse("accounts:password_reset_complete")
    teacher.refresh_from_db()
    assert teacher.check_password("Tournevis-42")
    client.logout()
    again = client.get(link, follow=True)
    assert "Ce lien n'est plus valable" in again.content.decode()  # used once, it is spent


def test_the_link_expires_after_password_link_days(client, make_user, worker, settings, monkeypatch):
    settings.PASSWORD_RESET_TIMEOUT = 2 * 86400
    make_user(Role.TEACHER, "mdupont", email="marie.dupont@iut.example.fr")
    ask(client, "marie.dupont@iut.example.fr")
    worker()
    assert "valable 2 jours" in mail.outbox[0].body
    link = LINK_RE.search(mail.outbox[0].body).group(1)
    later = default_token_generator._now() + timedelta(days=2, hours=1)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    assert "Ce lien n'est plus valable" in client.get(link, follow=True).content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, make_user, worker):
    make_user(Role.TEACHER, "mdupont", email="marie.dupont@iut.example.fr")
    response = ask(client, "personne@iut.example.fr")
    assert response.status_code == 302 and response.url == reverse("accounts:password_forgotten_done")
    worker()
    assert mail.outbox == []


def test_requests_are_throttled_per_address(client, make_user, worker, settings):
    settings.BUTGMP_PASSWORD_RESET_PER_HOUR = 2
    make_user(Role.TEACHER, "mdupont", email="marie.dupont@iut.example.fr")
    make_user(Role.TEACHER, "pmartin", email="paul.martin@iut.example.fr")
    assert [ask(client, "marie.dupont@iut.example.fr").status_code for _ in range(2)] == [302, 302]
    third = ask(client, "MARIE.DUPONT@iut.example.fr")  # the same address, whatever its case
    assert third.status_code == 429
    assert THROTTLED in third.content.decode()
    assert ask(client, "paul.martin@iut.example.fr").status_code == 302  # another address is not held back
    assert ask(client, "inconnu@iut.example.fr").status_code == 302
    worker()
    assert sorted(m.to[0] for m in mail.outbox) == ["marie.dupont@iut.example.fr"] * 2 + ["paul.martin@iut.example.fr"]


def test_an_account_without_a_password_or_not_allowed_locally_gets_no_link(client, make_user, worker, settings):
    settings.CAS_SERVER_URL = "https://cas.univ.example.fr/cas/"
    settings.BUTGMP_LOCAL_LOGIN = "staff"
    make_user(Role.STUDENT, "etu", email="etu@etu.example.fr")  # must sign in through the CAS
    cas_only = make_user(Role.TEACHER, "casonly", email="cas.only@iut.example.fr")
    cas_only.set_unusable_password()
    cas_only.save()
    ask(client, "etu@etu.example.fr")
    ask(client, "cas.only@iut.example.fr")
    worker()
    assert mail.outbox == []
