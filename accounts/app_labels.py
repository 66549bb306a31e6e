"""French names for the admin sections of the libraries whose own names are English (axes, django-tasks-db)."""
from axes.apps import AppConfig as AxesAppConfig
from django_tasks_db.apps import TasksAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = "Sécurité des connexions"


class TasksConfig(TasksAppConfig):
    verbose_name = "Tâches en arrière-plan"
