from django.apps import AppConfig


class ButgmpConfig(AppConfig):
    name = "butgmp"
    verbose_name = "BUT GMP"

    def ready(self):
        from django.contrib import admin

        from butgmp.admin_numbers import accept_decimal_comma

        accept_decimal_comma(admin.site)  # the admin autodiscovered every app's ModelAdmin before this runs
        from butgmp import sessions  # noqa: F401 - stamps each session at login (before any middleware loads)
