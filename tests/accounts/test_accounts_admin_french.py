"""The admin speaks French throughout: the libraries' sections and columns too."""
import re

from django.urls import reverse

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
