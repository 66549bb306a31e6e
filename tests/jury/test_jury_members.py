"""Jury members are users: chosen among the Jury-role users Direction assigned to the promotion (or every one of
them under the department's choice), refused in French otherwise (page, service, command), printed by name."""
import datetime
import importlib
import json

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from butgmp.roles import Role
from grading.models import AccessPolicy, JurySession
from grading.services.errors import ServiceError
from grading.services.promotions import promotion_members_set
from jury import pdf
from jury.forms import MEMBER_REFUSED
from jury.report import jury_report
from jury.scope import scope_for
from jury.sessions import MEMBER_NOT_SITTING, session_create
from tests import worlds

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(users, clean_promotion):
    """The department's choice off; `jury` sits for the promotion, `jury2` (Jury role too) does not."""
    AccessPolicy.objects.update(jury_every_promotion=False)
    other = worlds.user(Role.JURY, "jury2", first_name="Alix", last_name="Autre")
    promotion_members_set(programme=clean_promotion.s3.semester.programme,
                          academic_year=clean_promotion.s3.academic_year, members=[users["jury"]],
                          user=users["direction"])
    return other


def open_url(promotion):
    return reverse("jury:session_create", args=["annee", promotion.s3.pk])


def test_the_open_jury_form_offers_the_members_sitting_for_the_promotion_only(client, users, clean_promotion,
                                                                              assigned):
    client.force_login(users["jury"])
    page = client.get(reverse("jury:report", args=["annee", clean_promotion.s3.pk])).content.decode()
    assert "Jules Juré" in page and "Alix Autre" not in page
    refused = client.post(open_url(clean_promotion), {"date": "2026-06-20", "president": "Mme Présidente",
                                                      "members": [users["jury"].pk, assigned.pk]}, follow=True)
    assert MEMBER_REFUSED in refused.content.decode() and not JurySession.objects.exists()
    client.post(open_url(clean_promotion), {"date": "2026-06-20", "president": "Mme Présidente",
                                            "members": [users["jury"].pk]})
    session = JurySession.objects.get()
    assert (list(session.member_users.all()), session.members) == ([users["jury"]], "Jules Juré")


def test_the_service_refuses_a_member_not_sitting_for_the_promotion_in_french(users, clean_promotion, assigned):
    for outsider in (assigned, users["teacher"]):
        with pytest.raises(ServiceError) as raised:
            session_create(semester_instances=[clean_promotion.s3, clean_promotion.s4],
                           date=datetime.date(2026, 6, 20), president="Mme Présidente", members=[outsider],
                           user=users["jury"])
        assert raised.value.message == MEMBER_NOT_SITTING.format(name=outsider.get_full_name())
    assert not JurySession.objects.exists()


def test_under_the_department_choice_every_jury_user_may_sit(users, clean_promotion, assigned):
    AccessPolicy.objects.update(jury_every_promotion=True)
    session = session_create(semester_instances=[clean_promotion.s3, clean_promotion.s4],
                             date=datetime.date(2026, 6, 20), president="Mme Présidente",
                             members=[assigned, users["jury"]], user=users["jury"])
    assert set(session.member_users.all()) == {assigned, users["jury"]}
    assert session.members.splitlines() == ["Alix Autre", "Jules Juré"]


def test_the_command_chooses_members_by_login_and_refuses_others(capsys, users, clean_promotion, assigned):
    base = ["jury_session", "open", "--semester", str(clean_promotion.s3.pk), "--year", "--date", "2026-06-20",
            "--president", "Mme Présidente", "--user", "jury"]
    with pytest.raises(CommandError) as raised:
        call_command(*base, "--member", "jury", "--member", "jury2")
    assert raised.value.returncode == 1 and str(raised.value) == MEMBER_NOT_SITTING.format(name="Alix Autre")
    with pytest.raises(CommandError) as unknown:
        call_command(*base, "--member", "personne")
    assert unknown.value.returncode == 1 and "personne" in str(unknown.value)
    call_command(*base, "--member", "jury")
    opened = json.loads(capsys.readouterr().out)
    assert opened["members"] == ["jury"]
    assert list(JurySession.objects.get(pk=opened["id"]).member_users.all()) == [users["jury"]]


def test_the_pv_prints_the_members_by_name(users, clean_promotion):
    session = session_create(semester_instances=[clean_promotion.s3, clean_promotion.s4],
                             date=datetime.date(2026, 6, 20), president="Mme Présidente", members=[users["jury"]],
                             user=users["jury"])
    html = pdf.pv_html(report=jury_report(scope=scope_for(clean_promotion.s3, year=True)), session=session)
    assert "membres : Jules Juré" in html


def test_the_migration_links_typed_names_to_the_jury_users_they_name_and_keeps_the_text(users, clean_promotion):
    migration = importlib.import_module("grading.migrations.0006_safety_jury_members")
    session = JurySession.objects.create(date=datetime.date(2025, 6, 20), president="Mme Présidente",
                                         members="jules  JURÉ\nM. Inconnu\nEric Enseignant", created_by=users["jury"])
    migration.link_typed_members(django_apps, None)
    assert list(session.member_users.all()) == [users["jury"]]  # a teacher is no jury member; unknown names stay text
    session.refresh_from_db()
    assert session.members == "jules  JURÉ\nM. Inconnu\nEric Enseignant"
