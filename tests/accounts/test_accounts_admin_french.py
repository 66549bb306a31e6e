"""The admin speaks French throughout: the libraries' sections and columns too."""
import re
from html import unescape
from pathlib import Path

from axes.models import AccessAttempt, AccessAttemptExpiration
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import translation
from django_cas_ng.models import SessionTicket

from accounts.models import AccountProfile
from accounts.tasks import send_password_reset_link


def texts(html: str, pattern: str) -> list[str]:
    return [re.sub(r"<[^>]+>|\s+", " ", m).strip() for m in re.findall(pattern, html, re.S)]


def test_every_admin_section_has_a_french_name(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    sections = texts(html, r"<caption>.*?</caption>")
    assert "Sécurité des connexions" in sections and "Tâches en arrière-plan" in sections
    assert not {"Axes", "Tasks Database Backend", "Django_Cas_Ng"} & set(sections)
    models = texts(html, r'<th scope="row".*?</th>')
    assert "Tâches en arrière-plan" in models and "Task Results" not in models


def test_the_background_tasks_list_has_french_columns_and_states(admin_client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    send_password_reset_link.enqueue(user_id=1, base_url="http://testserver")
    html = admin_client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist")).content.decode()
    columns = texts(html, r'<th scope="col".*?</th>')
    assert {"Tâche", "État", "Mise en file le", "Commencée le", "Terminée le", "Priorité", "File"} <= set(columns)
    assert "En attente" in html and "Réussie" in html  # the state filter
    assert "send_password_reset_link" in html


def test_the_user_page_holds_the_sign_in_settings(admin_client, django_user_model):
    teacher = django_user_model.objects.create_user("pmartin")
    page = admin_client.get(reverse("admin:auth_user_change", args=[teacher.pk])).content.decode()
    assert "Profil de connexion" in page and "Identifiant CAS" in page and "Connexion locale autorisée" in page
    form = {"username": "pmartin", "is_active": "on", "date_joined_0": "01/09/2026", "date_joined_1": "08:00:00",
            "account_profile-TOTAL_FORMS": "1", "account_profile-INITIAL_FORMS": "0",
            "account_profile-0-cas_id": "p.martin7", "account_profile-0-local_login_allowed": "on"}
    response = admin_client.post(reverse("admin:auth_user_change", args=[teacher.pk]), form)
    assert response.status_code == 302, texts(response.content.decode(), r'<ul class="errorlist.*?</ul>')
    profile = AccountProfile.objects.get(user=teacher)
    assert (profile.cas_id, profile.local_login_allowed) == ("p.martin7", True)


SAME_IN_FRENCH = {"Administration", "Sessions", "session", "sessions", "permission", "permissions"}


def project_app(app_config) -> bool:
    return Path(app_config.path).is_relative_to(settings.BASE_DIR) and ".venv" not in Path(app_config.path).parts


def test_every_application_and_model_has_a_french_name():
    """Every section and model name the admin can show (its index, the permissions of a user or a group, the
    journal of changes): the project's own written in French, the libraries' translated (locale/fr)."""
    untranslated = []
    for app_config in apps.get_app_configs():
        with translation.override("fr"):
            french = str(app_config.verbose_name)
        with translation.override("en"):
            english = str(app_config.verbose_name)
        declared = "verbose_name" in vars(type(app_config))
        shown = any(True for _ in app_config.get_models())  # an application without models has no section
        if shown and french not in SAME_IN_FRENCH and (french == app_config.label.title()
                                                     or (french == english and not declared)):
            untranslated.append(f"{app_config.label}: {french}")
        for model in app_config.get_models():
            meta = model._meta
            with translation.override("fr"):
                names = [str(meta.verbose_name), str(meta.verbose_name_plural)]
            with translation.override("en"):
                names_en = [str(meta.verbose_name), str(meta.verbose_name_plural)]
            if project_app(app_config):
                if "verbose_name" not in meta.original_attrs or "verbose_name_plural" not in meta.original_attrs:
                    untranslated.append(meta.label)
            elif any(fr == en and fr not in SAME_IN_FRENCH for fr, en in zip(names, names_en, strict=True)):
                untranslated.append(f"{meta.label}: {names[0]}")
    assert untranslated == [], untranslated
    with translation.override("fr"):
        assert str(apps.get_app_config("django_cas_ng").verbose_name) == "Connexion par le CAS"
        assert str(SessionTicket._meta.verbose_name_plural) == "tickets de session CAS"
        assert str(AccessAttemptExpiration._meta.verbose_name) == "expiration d'une tentative de connexion"


def option_texts(html: str, select_name: str) -> list[str]:
    select = re.search(rf'<select name="{select_name}".*?</select>', html, re.S).group(0)
    return [unescape(text) for text in re.findall(r"<option [^>]*>(.*?)</option>", select, re.S)]


def test_the_permissions_of_a_user_and_a_group_are_named_in_french(admin_client, django_user_model):
    teacher = django_user_model.objects.create_user("pmartin")
    user_page = admin_client.get(reverse("admin:auth_user_change", args=[teacher.pk])).content.decode()
    group_page = admin_client.get(reverse("admin:auth_group_add")).content.decode()
    for texts_shown in [option_texts(user_page, "user_permissions"), option_texts(group_page, "permissions")]:
        assert len(texts_shown) == Permission.objects.count()
        assert [text for text in texts_shown if "Can " in text] == []
        assert "Notes | note | Peut ajouter « note »" in texts_shown
        assert "Connexion par le CAS | ticket de session CAS | Peut voir « ticket de session CAS »" in texts_shown
        assert ("Sécurité des connexions | expiration d'une tentative de connexion | Peut supprimer « expiration "
                "d'une tentative de connexion »") in texts_shown
    group = {"name": "Vacataires", "permissions": [Permission.objects.get(codename="view_grade").pk]}
    assert admin_client.post(reverse("admin:auth_group_add"), group).status_code == 302
    assert list(Group.objects.get(name="Vacataires").permissions.values_list("codename", flat=True)) == ["view_grade"]


def test_the_login_attempts_list_is_in_french(admin_client, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for username, failures in [("prof", 2), ("pirate", 5)]:
        AccessAttempt.objects.create(username=username, ip_address="192.0.2.7", user_agent="Firefox",
                                     path_info="/connexion/", failures_since_start=failures, get_data="",
                                     post_data="", http_accept="text/html")
    html = admin_client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    columns = texts(html, r'<th scope="col".*?</th>')
    assert {"Date de la tentative", "Adresse IP", "Navigateur", "Chemin", "Nombre d'échecs", "État"} <= {
        unescape(c) for c in columns}
    assert not {"User Agent", "Status"} & set(columns)
    assert "3 essai(s) restant(s)" in html and ">verrouillée<" in html
    assert "Par verrouillage" in unescape(html) and "Supprimer les tentatives expirées" in html
    assert "Locked Out" not in html and "Attempt Remaining" not in html
