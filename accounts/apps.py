from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Comptes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from accounts.personal_data import cas_anonymise, cas_export
        from grading.personal_data import register

        register(name="cas", exporter=cas_export, anonymiser=cas_anonymise)
