from django.core.management.base import BaseCommand
from django.db import connection

VENDORS = {"postgresql": "PostgreSQL", "sqlite": "SQLite", "mysql": "MySQL", "oracle": "Oracle"}


def describe_database(settings_dict: dict, vendor: str) -> str:
    """Say which database the application uses, never its password: "PostgreSQL butgmp sur db:5432"."""
    name = VENDORS.get(vendor, vendor)
    if vendor == "sqlite":
        return f"{name}, fichier {settings_dict['NAME']}"
    where = settings_dict.get("HOST") or "localhost"
    if settings_dict.get("PORT"):
        where = f"{where}:{settings_dict['PORT']}"
    user = f" (utilisateur {settings_dict['USER']})" if settings_dict.get("USER") else ""
    return f"{name}, base {settings_dict['NAME']} sur {where}{user}"


class Command(BaseCommand):
    help = "Dit quelle base de données l'application utilise (réglée par DATABASE_URL), sans son mot de passe."

    def handle(self, *args, **options):
        self.stdout.write(f"Base de données : {describe_database(connection.settings_dict, connection.vendor)}")
