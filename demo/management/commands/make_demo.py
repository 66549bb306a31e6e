from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.build import DEFAULT_SEED, DEFAULT_STUDENTS, make_demo
from grading.services.errors import ServiceError

REFUSED = ("DEBUG est désactivé : make_demo crée des comptes au mot de passe « demo » et refuse de tourner "
           "en production. Relancez avec --force si c'est vraiment voulu.")


class Command(BaseCommand):
    help = ("Crée les comptes de démonstration (mot de passe « demo ») et un département de démonstration : "
            "BUT1, BUT2 et BUT3 notés, le jury de l'an dernier publié. Sans effet sur une base qui l'a déjà.")

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=DEFAULT_STUDENTS,
                            help=f"étudiants par promotion (défaut {DEFAULT_STUDENTS})")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"graine du tirage (défaut {DEFAULT_SEED})")
        parser.add_argument("--force", action="store_true", help="tourner même avec DEBUG désactivé")

    def handle(self, *args, students=DEFAULT_STUDENTS, seed=DEFAULT_SEED, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(REFUSED)
        try:
            self.stdout.write(make_demo(students=students, seed=seed, progress=self.stdout.write))
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
