from django.apps import AppConfig


class ButgmpConfig(AppConfig):
    name = "butgmp"
    verbose_name = "BUT GMP"
