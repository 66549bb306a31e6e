from django.core.management.base import BaseCommand

from grading.demo import load_demo


class Command(BaseCommand):
    help = "Crée les comptes de démonstration (mot de passe « demo ») et une année de notes sur le programme de Dijon."

    def handle(self, *args, **options):
        for line in load_demo():
            self.stdout.write(f"- {line}")
