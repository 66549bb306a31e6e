"""The users page: only Direction; staff with roles and last login; create, roles, sign-in, disable, modules;
every change journaled."""
import re
from html import unescape
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from tests_accounts_helpers import PASSWORD

from accounts.models import AccountProfile
from accounts.services.users import LAST_DIRECTION, LOGIN_TAKEN, NOT_OWN_ACCOUNT, NOT_OWN_DIRECTION
from butgmp.roles import Role
from grading.models import AuditEntry, ModuleResponsible
from grading.services.errors import LOCKED

pytestmark = pytest.mark.django_db


def module_rows(html: str) -> list[str]:
    """The rows of the « Modules » table of an account's page, as text."""
    table = re.search(r"<h2>Modules</h2>\s*<table>.*?</table>", html, re.S).group(0)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", unescape(row))).strip()
            for row in re.findall(r"<tr><td>.*?</tr>", table, re.S)]


@pytest.fixture
def direction_client(client, users):
    client.force_login(users["direction"])
    return client


def journal(user) -> list[tuple]:
    return list(AuditEntry.objects.filter(object_type="auth.user", object_id=user.pk).order_by("id")
                .values_list("user__username", "field", "old_value", "new_value"))


@pytest.mark.parametrize("who", ["secretariat", "teacher", "jury", "student"])
def test_only_direction_reaches_the_users_pages(client, users, who):
    client.force_login(users[who])
    target = users["teacher"]
    for url in [reverse("accounts:users"), reverse("accounts:user_create"),
                reverse("accounts:user_detail", args=[target.pk])]:
        response = client.get(url)
        assert response.status_code == 403
        assert "Seule la direction gère les comptes du personnel." in response.content.decode()
    response = client.post(reverse("accounts:user_active", args=[target.pk]), {"active": ""})
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.is_active


@pytest.mark.parametrize("who", ["secretariat", "teacher", "jury", "student"])
def test_only_direction_changes_anything_on_the_users_pages(client, users, who, make_semester_instance):
    instance = make_semester_instance(students=1)
    module = instance.semester.modules.get(code="R1.01")
    target = users["teacher"]
    held = ModuleResponsible.objects.create(semester_instance=instance, module=module, user=target, lead=True)
    groups_before = set(target.groups.values_list("name", flat=True))
    client.force_login(users[who])
    posts = [
        (reverse("accounts:user_create"), {"username": "intrus", "first_name": "I", "last_name": "N",
                                           "email": "i@n.fr", "roles": [Role.DIRECTION], "sign_in": "link"}),
        (reverse("accounts:user_roles", args=[target.pk]), {"roles": [Role.DIRECTION]}),
        (reverse("accounts:user_sign_in", args=[target.pk]), {"cas_id": "pirate", "local_login_allowed": "on"}),
        (reverse("accounts:user_active", args=[target.pk]), {"active": "", "reason": "x"}),
        (reverse("accounts:responsibility_create", args=[users[who].pk, instance.pk]),
         {"module": module.pk, "lead": "on"}),
        (reverse("accounts:responsibility_delete", args=[target.pk, held.pk]), {}),
    ]
    assert [client.post(url, data).status_code for url, data in posts] == [403] * len(posts)
    target.refresh_from_db()
    assert target.is_active and set(target.groups.values_list("name", flat=True)) == groups_before
    assert not User.objects.filter(username="intrus").exists()
    assert not AccountProfile.objects.filter(user=target).exists()
    assert list(ModuleResponsible.objects.values_list("user__username", "lead")) == [("enseignant", True)]
    assert not AuditEntry.objects.filter(object_type="auth.user").exists()


def test_visitors_are_sent_to_the_login_page(client, users):
    response = client.get(reverse("accounts:users"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_list_shows_staff_with_their_roles_and_last_login(direction_client, users):
    teacher = users["teacher"]
    teacher.last_login = "2026-11-03T08:15:00+00:00"
    teacher.save()
    html = direction_client.get(reverse("accounts:users")).content.decode()
    rows = {re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
            for row in re.findall(r"<tr>.*?</tr>", html, re.S)}
    assert "Eric Enseignant enseignant Enseignant mot de passe 03/11/2026 à 09:15 actif" in rows  # CAS off
    assert "Emma Étudiante" not in html  # students are not staff


def test_the_list_says_how_each_account_signs_in_with_cas_on_and_off(direction_client, users, settings):
    teacher = users["teacher"]
    teacher.set_unusable_password()
    teacher.save()

    def sign_in_cell() -> str:
        html = direction_client.get(reverse("accounts:users")).content.decode()
        row = next(r for r in re.findall(r"<tr>.*?</tr>", html, re.S) if ">enseignant<" in r)
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.findall(r"<td>.*?</td>", row, re.S)[3])).strip()

    assert sign_in_cell() == "sans mot de passe : ne peut pas se connecter"
    settings.CAS_SERVER_URL = "https://cas.univ.example.fr/cas/"
    assert sign_in_cell() == "CAS : enseignant · sans mot de passe"


def test_direction_creates_an_account_that_gets_its_link_by_the_worker(direction_client, users, settings,
                                                                      monkeypatch):
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    form = {"username": "svacataire", "first_name": "Sam", "last_name": "Vacataire", "email": "sam@iut.example.fr",
            "roles": [Role.TEACHER, Role.JURY], "sign_in": "link", "cas_id": "", "local_login_allowed": "on"}
    with pytest.raises(User.DoesNotExist):
        User.objects.get(username="svacataire")
    response = direction_client.post(reverse("accounts:user_create"), form)
    user = User.objects.get(username="svacataire")
    assert response.status_code == 302 and response.url == reverse("accounts:user_detail", args=[user.pk])
    assert set(user.groups.values_list("name", flat=True)) == {Role.TEACHER, Role.JURY}
    assert not user.has_usable_password()
    assert AccountProfile.objects.get(user=user).local_login_allowed
    assert journal(user) == [("direction", "identifiant", "", "svacataire"),
                             ("direction", "rôles", "", "Enseignant, Jury"),
                             ("direction", "identifiant CAS", "", ""),
                             ("direction", "connexion locale autorisée", "", "oui")]
    call_command("db_worker", batch=True, no_startup_delay=True, queue_name="*", stdout=StringIO(),
                 stderr=StringIO())
    [message] = mail.outbox
    assert message.to == ["sam@iut.example.fr"] and "Votre identifiant : svacataire" in message.body
    link = re.search(r"http://testserver(/\S+)", message.body).group(1)
    direction_client.logout()
    page = direction_client.get(link, follow=True)
    set_url = page.redirect_chain[-1][0]
    direction_client.post(set_url, {"new_password1": "Clef-a-molette-9", "new_password2": "Clef-a-molette-9"})
    user.refresh_from_db()
    assert user.check_password("Clef-a-molette-9")


def test_a_cas_only_account_has_no_password_and_gets_no_mail(direction_client, users, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    form = {"username": "pmartin", "first_name": "Paul", "last_name": "Martin", "email": "",
            "roles": [Role.TEACHER], "sign_in": "cas", "cas_id": "p.martin7"}
    direction_client.post(reverse("accounts:user_create"), form)
    user = User.objects.get(username="pmartin")
    assert AccountProfile.objects.get(user=user).cas_id == "p.martin7"
    assert not user.has_usable_password() and mail.outbox == []


def test_creation_refuses_a_taken_login_a_taken_cas_id_and_no_role(direction_client, users):
    base = {"first_name": "A", "last_name": "B", "email": "a@b.fr", "sign_in": "link", "roles": [Role.TEACHER]}
    taken = direction_client.post(reverse("accounts:user_create"), {**base, "username": "Enseignant"})
    assert LOGIN_TAKEN.format(login="Enseignant") in unescape(taken.content.decode())
    AccountProfile.objects.create(user=users["jury"], cas_id="jjure")
    cas = direction_client.post(reverse("accounts:user_create"), {**base, "username": "nouveau", "cas_id": "jjure"})
    expected = "L'identifiant CAS « jjure » est déjà celui d'un autre compte (Jules Juré)."
    assert expected in unescape(cas.content.decode())
    no_role = direction_client.post(reverse("accounts:user_create"), {**base, "username": "nouveau", "roles": []})
    assert no_role.status_code == 200
    no_mail = direction_client.post(reverse("accounts:user_create"), {**base, "username": "nouveau", "email": ""})
    assert "Indiquez l'adresse où envoyer le lien" in unescape(no_mail.content.decode())
    assert not User.objects.filter(username="nouveau").exists()


def test_roles_change_and_are_journaled_keeping_a_student_role(direction_client, users):
    teacher = users["teacher"]
    teacher.groups.add(users["student"].groups.get())  # a teacher who is also a student somewhere
    direction_client.post(reverse("accounts:user_roles", args=[teacher.pk]), {"roles": [Role.JURY, Role.TEACHER]})
    assert set(teacher.groups.values_list("name", flat=True)) == {Role.JURY, Role.TEACHER, Role.STUDENT}
    assert journal(teacher) == [("direction", "rôles", "Enseignant", "Enseignant, Jury")]


def test_direction_keeps_at_least_one_active_member_and_cannot_lock_itself_out(direction_client, users):
    me = users["direction"]
    own_role = direction_client.post(reverse("accounts:user_roles", args=[me.pk]), {"roles": [Role.TEACHER]},
                                     follow=True)
    assert NOT_OWN_DIRECTION in unescape(own_role.content.decode())
    own_account = direction_client.post(reverse("accounts:user_active", args=[me.pk]), {"active": ""}, follow=True)
    assert NOT_OWN_ACCOUNT in unescape(own_account.content.decode())
    other = User.objects.create_user("dir2", password=PASSWORD)
    other.groups.add(me.groups.get())
    me.is_active = False  # as if another member had disabled this one: dir2 is the last one
    me.save()
    direction_client.force_login(User.objects.create_superuser("root"))
    last = direction_client.post(reverse("accounts:user_active", args=[other.pk]), {"active": ""}, follow=True)
    assert LAST_DIRECTION in unescape(last.content.decode())
    other.refresh_from_db()
    assert other.is_active and Role.DIRECTION in other.groups.values_list("name", flat=True)


def test_a_disabled_account_cannot_sign_in_and_its_session_ends(direction_client, users):
    teacher = users["teacher"]
    teacher_client = Client()
    teacher_client.force_login(teacher)
    assert teacher_client.get(reverse("dashboard:home")).status_code == 200
    direction_client.post(reverse("accounts:user_active", args=[teacher.pk]),
                          {"active": "", "reason": "fin de contrat"})
    teacher.refresh_from_db()
    assert not teacher.is_active
    assert teacher_client.get(reverse("dashboard:home")).status_code == 302  # signed out
    refused = Client().post(reverse("login"), {"username": "enseignant", "password": PASSWORD})
    assert refused.status_code == 200 and "_auth_user_id" not in refused.wsgi_request.session
    assert journal(teacher) == [("direction", "compte actif", "oui", "non")]
    assert AuditEntry.objects.get(object_type="auth.user", object_id=teacher.pk).reason == "fin de contrat"
    direction_client.post(reverse("accounts:user_active", args=[teacher.pk]), {"active": "on"})
    teacher.refresh_from_db()
    assert teacher.is_active


def test_sign_in_settings_change_and_are_journaled(direction_client, users):
    teacher = users["teacher"]
    url = reverse("accounts:user_sign_in", args=[teacher.pk])
    direction_client.post(url, {"cas_id": "e.enseignant", "local_login_allowed": "on"})
    profile = AccountProfile.objects.get(user=teacher)
    assert (profile.cas_id, profile.local_login_allowed) == ("e.enseignant", True)
    direction_client.post(url, {"cas_id": ""})
    profile.refresh_from_db()
    assert (profile.cas_id, profile.local_login_allowed) == (None, False)
    assert journal(teacher) == [("direction", "identifiant CAS", "", "e.enseignant"),
                                ("direction", "connexion locale autorisée", "non", "oui"),
                                ("direction", "identifiant CAS", "e.enseignant", ""),
                                ("direction", "connexion locale autorisée", "oui", "non")]


def test_modules_of_a_teacher_per_semester_responsible_and_graders(direction_client, users, make_user,
                                                                   make_semester_instance):
    instance = make_semester_instance(students=1)
    module = instance.semester.modules.get(code="R1.01")
    teacher, colleague = users["teacher"], make_user(Role.TEACHER, "collegue", first_name="Cole", last_name="Lègue")
    page = direction_client.get(reverse("accounts:user_detail", args=[teacher.pk]), {"semestre": instance.pk})
    assert "R1.01 – Ressource 1" in page.content.decode()
    add = reverse("accounts:responsibility_create", args=[teacher.pk, instance.pk])
    assert direction_client.post(add, {"module": module.pk, "lead": "on"}).status_code == 302
    add_colleague = reverse("accounts:responsibility_create", args=[colleague.pk, instance.pk])
    direction_client.post(add_colleague, {"module": module.pk, "lead": "on"})  # the colleague becomes responsible
    rows = {r.user.username: r.lead for r in ModuleResponsible.objects.filter(module=module)}
    assert rows == {"enseignant": False, "collegue": True}  # both grade the module, one is its responsible
    assert [(f, old[:20], new[:20]) for _, f, old, new in journal(teacher)] == [
        ("module", "", "R1.01 (responsable) "), ("module", "R1.01 (responsable) ", "R1.01 (correcteur) –")]
    detail = direction_client.get(reverse("accounts:user_detail", args=[teacher.pk])).content.decode()
    assert module_rows(detail) == [f"{instance} R1.01 – Ressource 1 correcteur Cole Lègue (responsable) retirer"]
    colleague_page = direction_client.get(reverse("accounts:user_detail", args=[colleague.pk])).content.decode()
    assert module_rows(colleague_page) == [f"{instance} R1.01 – Ressource 1 responsable Eric Enseignant retirer"]
    mine = ModuleResponsible.objects.get(module=module, user=teacher)
    direction_client.post(reverse("accounts:responsibility_delete", args=[teacher.pk, mine.pk]))
    assert list(ModuleResponsible.objects.filter(module=module).values_list("user__username", flat=True)) == [
        "collegue"]
    assert journal(teacher)[-1][1:3] == ("module", "R1.01 (correcteur) – " + str(instance))


def test_a_jury_members_page_lists_the_promotions_direction_assigned_them(direction_client, users,
                                                                           make_semester_instance):
    from grading.models import AccessPolicy
    from grading.services.promotions import promotion_members_set

    AccessPolicy.objects.update_or_create(pk=1, defaults={"jury_every_promotion": False})
    instance = make_semester_instance(students=1)
    jury = users["jury"]
    page = direction_client.get(reverse("accounts:user_detail", args=[jury.pk])).content.decode()
    assert "Aucune promotion." in page and reverse("jury:members") in page
    promotion_members_set(programme=instance.semester.programme, academic_year=instance.academic_year,
                          members=[jury], user=users["direction"])
    page = direction_client.get(reverse("accounts:user_detail", args=[jury.pk])).content.decode()
    assert f"{instance.semester.programme.code} — {instance.academic_year}" in unescape(page)
    assert "Aucune promotion." not in page


def test_a_module_of_a_locked_semester_is_shown_without_a_remove_button(direction_client, users,
                                                                        make_semester_instance):
    from grading.models import SemesterInstance

    instance = make_semester_instance(students=1)
    module = instance.semester.modules.get(code="R1.01")
    ModuleResponsible.objects.create(semester_instance=instance, module=module, user=users["teacher"], lead=True)
    SemesterInstance.objects.filter(pk=instance.pk).update(is_locked=True)  # locked after its jury
    page = direction_client.get(reverse("accounts:user_detail", args=[users["teacher"].pk])).content.decode()
    assert module_rows(page) == [f"{instance} R1.01 – Ressource 1 responsable seul semestre verrouillé"]
    mine = ModuleResponsible.objects.get(module=module)
    refused = direction_client.post(reverse("accounts:responsibility_delete", args=[users["teacher"].pk, mine.pk]),
                                    follow=True)
    assert LOCKED.format(semester=instance) in unescape(refused.content.decode())
    assert ModuleResponsible.objects.filter(pk=mine.pk).exists()
    assert journal(users["teacher"]) == []


def test_the_jury_promotions_show_only_on_the_page_of_a_jury_member(direction_client, users):
    teacher_page = direction_client.get(reverse("accounts:user_detail", args=[users["teacher"].pk]))
    jury_page = direction_client.get(reverse("accounts:user_detail", args=[users["jury"].pk]))
    assert "Promotions suivies comme membre de jury" not in teacher_page.content.decode()
    assert "Promotions suivies comme membre de jury" in jury_page.content.decode()
