"""Student accounts from the enrolment list, the one-time set-password link, and publication notices."""
import html
import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse
from students_world import jury

from butgmp.roles import Role, user_roles
from grading.models import AuditEntry, Enrolment, Student
from portal.publication import PUBLISH_NOT_CLOSED

pytestmark = pytest.mark.django_db
LINK = re.compile(r"http://testserver(/compte/mot-de-passe/[^/\s]+/[^/\s]+/)")


@pytest.fixture
def newcomers(year):
    """Three students of S1 without an account (one without an e-mail address)."""
    students = [Student.objects.create(ine=f"1111111111{i}", last_name=name, first_name="Prénom",
                                       email=email) for i, (name, email) in
                enumerate([("Carré", "c@etu.example.fr"), ("Dupuis", "d@etu.example.fr"), ("Ewen", "")])]
    for student in students:
        Enrolment.objects.create(student=student, semester_instance=year.instances[1])
    return students


@pytest.fixture
def secretariat_client(client, users):
    client.force_login(users["secretariat"])
    return client


def create_accounts(client, year, **data):
    return client.post(reverse("portal:student_accounts", args=[year.instances[1].pk]), data, follow=True)


def test_staff_create_one_account_from_the_enrolment_list_and_a_link_is_mailed(secretariat_client, year,
                                                                                newcomers):
    enrolment = Enrolment.objects.get(student=newcomers[0])
    response = create_accounts(secretariat_client, year, scope="selection", enrolments=[enrolment.pk])
    assert "1 lien(s) envoyé(s) (1 compte(s) créé(s)" in response.content.decode()
    account = User.objects.get(username="11111111110")
    assert Student.objects.get(pk=newcomers[0].pk).user == account
    assert user_roles(account) == {Role.STUDENT} and not account.has_usable_password()
    assert [m.to for m in mail.outbox] == [["c@etu.example.fr"]]
    body = mail.outbox[0].body
    assert "Votre identifiant : 11111111110" in body and LINK.search(body)
    assert AuditEntry.objects.filter(object_type="grading.student", object_id=newcomers[0].pk, field="user").exists()


def test_the_whole_semester_creates_the_missing_accounts_and_names_those_left_out(secretariat_client, year,
                                                                                   newcomers):
    page = create_accounts(secretariat_client, year, scope="all").content.decode()
    # Alice and Bob use their accounts already; Ewen has no address.
    assert "2 lien(s) envoyé(s) (2 compte(s) créé(s), 0 lien(s) renvoyé(s))" in page
    assert "Déjà actif, rien envoyé" in page and "Sans adresse électronique" in page and "EWEN Prénom" in page
    assert sorted(m.to[0] for m in mail.outbox) == ["c@etu.example.fr", "d@etu.example.fr"]
    # Asked again: the unused accounts get a new link, nothing else is created.
    page = create_accounts(secretariat_client, year, scope="all").content.decode()
    assert "2 lien(s) envoyé(s) (0 compte(s) créé(s), 2 lien(s) renvoyé(s))" in page


def test_the_enrolment_list_offers_the_account_action_with_a_tick_per_student(secretariat_client, year):
    instance = year.instances[1]
    page = secretariat_client.get(reverse("grading:enrolment_list", args=[instance.pk])).content.decode()
    # The ticks belong to the bulk-action form; both account buttons send them to the account service.
    ticks = re.findall(r'<input[^>]*name="enrolments"[^>]*>', page)
    assert len(ticks) == instance.enrolments.count() and all('form="bulk-form"' in tick for tick in ticks)
    action = f'formaction="{reverse("portal:student_accounts", args=[instance.pk])}"'
    assert 'id="student-accounts"' in page and page.count(action) == 2


def test_a_student_cannot_create_accounts(student_client, year):
    response = student_client.post(reverse("portal:student_accounts", args=[year.instances[1].pk]),
                                   {"scope": "all"})
    assert response.status_code == 403 and not mail.outbox


def test_the_link_sets_a_password_once_and_refuses_weak_ones(client, secretariat_client, year, newcomers):
    create_accounts(secretariat_client, year, scope="selection",
                    enrolments=[Enrolment.objects.get(student=newcomers[1]).pk])
    secretariat_client.logout()
    link = LINK.search(mail.outbox[0].body).group(1)
    form_url = client.get(link).url  # Django moves the token into the session, then shows the form
    page = client.get(form_url).content.decode()
    assert "Choisir votre mot de passe" in page and 'name="new_password1"' in page
    for weak, reason in (("98127364501928", "entièrement numérique"), ("11111111111", "trop semblable"),
                         ("11111111111a", "trop semblable")):
        response = client.post(form_url, {"new_password1": weak, "new_password2": weak})
        assert reason in response.content.decode(), weak
    response = client.post(form_url, {"new_password1": "Rivets-et-boulons-42", "new_password2":
                                       "Rivets-et-boulons-42"})
    assert response.url == reverse("password_set_done")
    response = client.post(reverse("login"), {"username": "11111111111", "password": "Rivets-et-boulons-42"})
    assert response.url == reverse("dashboard:home")
    client.logout()
    again = client.get(link, follow=True).content.decode()
    assert "Ce lien n'est plus valable" in again


def test_publishing_grades_sends_one_notice_per_student_without_any_grade(client, users, year):
    client.force_login(users["secretariat"])
    response = client.post(reverse("portal:publication", args=[year.instances[1].pk]),
                           {"target": "semester", "published": "1"}, follow=True)
    said = html.unescape(response.content.decode())
    assert "2 évaluation(s) publiée(s) ; 2 courriel(s) d'avis mis en file d'envoi" in said
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@etu.example.fr", "bob@etu.example.fr"]
    for message in mail.outbox:
        assert "http://testserver/notes/mes-resultats/" in message.body
        assert not re.search(r"\d+[,.]\d+|\b(ADM|AJ)\b", message.body)  # a link, never a grade or a code
    mail.outbox.clear()
    client.post(reverse("portal:publication", args=[year.instances[1].pk]), {"target": "semester",
                                                                               "published": "1"})
    assert not mail.outbox  # nothing new published: no notice


def test_a_student_who_turned_notices_off_gets_none(student_client, client, users, year):
    response = student_client.post(reverse("portal:my_notices"), {}, follow=True)
    assert "Vous ne recevrez plus de courriel" in response.content.decode()
    client.force_login(users["direction"])
    client.post(reverse("portal:publication", args=[year.instances[2].pk]),
                {"target": "module", "module": year.evaluations["DS2"].module_id, "published": "1"})
    assert [m.to for m in mail.outbox] == [["bob@etu.example.fr"]]


def test_publishing_a_closed_jury_notifies_its_students_and_an_open_one_is_refused(client, users, year):
    client.force_login(users["direction"])
    session = jury(year, 2, user=users["direction"], published=False)
    client.post(reverse("portal:jury_publication", args=[session.pk]))
    session.refresh_from_db()
    assert session.published_by == users["direction"] and len(mail.outbox) == 2
    assert "décisions du jury" in mail.outbox[0].subject
    session.closed_at = session.published_at = None
    session.save()
    response = client.post(reverse("portal:jury_publication", args=[session.pk]), follow=True)
    assert PUBLISH_NOT_CLOSED in html.unescape(response.content.decode()) and len(mail.outbox) == 2
