"""French names for the admin sections of the libraries whose own names are English (axes, django-cas-ng,
django-tasks-db). Their models' names come from locale/fr; django-cas-ng's models have no translatable name, so
they are given one here (a name set on `_meta` at start-up is not a migration option)."""
from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_cas_ng.apps import CASConfig
from django_tasks_db.apps import TasksAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = "Sécurité des connexions"


class TasksConfig(TasksAppConfig):
    verbose_name = "Tâches en arrière-plan"


CAS_MODEL_NAMES = {
    "ProxyGrantingTicket": (_("proxy granting ticket"), _("proxy granting tickets")),  # locale/fr
    "SessionTicket": (_("session ticket"), _("session tickets")),
}


class CasConfig(CASConfig):
    verbose_name = "Connexion par le CAS"

    def ready(self):
        super().ready()
        for model in self.get_models():
            model._meta.verbose_name, model._meta.verbose_name_plural = CAS_MODEL_NAMES[model.__name__]
