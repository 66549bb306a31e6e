from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from grading.demo import load_demo

REFUSED = ("DEBUG est désactivé : load_demo crée des comptes au mot de passe « demo » et refuse de tourner "
           "en production. Relancez avec --force si c'est vraiment voulu.")


class Command(BaseCommand):
    help = "Crée les comptes de démonstration (mot de passe « demo ») et une année de notes sur le programme de Dijon."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="tourner même avec DEBUG désactivé")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(REFUSED)
        for line in load_demo():
            self.stdout.write(f"- {line}")
