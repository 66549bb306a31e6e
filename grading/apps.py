from django.apps import AppConfig


class GradingConfig(AppConfig):
    name = "grading"
    verbose_name = "Notes"

    def ready(self):
        from grading import cache_versions  # noqa: F401 (connects the signals that bump results versions)
