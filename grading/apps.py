from django.apps import AppConfig


class GradingConfig(AppConfig):
    name = "grading"
    verbose_name = "Notes et jurys"

    def ready(self):
        from grading import versions  # noqa: F401 (connects the signals that bump results versions)
