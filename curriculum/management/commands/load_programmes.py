"""Load the BUT GMP reference and every programme from the YAML fixtures."""
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from curriculum.fixture_loader import FixtureError, FrozenProgrammeError, LoadResult, load_all

EXIT_FROZEN_PROGRAMME = 1
EXIT_BAD_FIXTURE = 2


class Command(BaseCommand):
    help = "Charge le référentiel GMP (gmp.yaml) puis chaque programme (programmes/*.yaml)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", dest="fixtures_dir", default=str(Path(settings.BASE_DIR) / "fixtures"),
                            help="Dossier des fixtures (défaut : fixtures/ du projet).")

    def handle(self, *args, fixtures_dir: str, **options):
        try:
            load_all(fixtures_dir, report=self._report)
        except FrozenProgrammeError as exc:
            raise CommandError(str(exc), returncode=EXIT_FROZEN_PROGRAMME) from exc
        except FixtureError as exc:
            raise CommandError(str(exc), returncode=EXIT_BAD_FIXTURE) from exc

    def _report(self, result: LoadResult) -> None:
        if result.changes:
            state = f"{result.changes} modification(s)"
        else:
            state = "inchangé"
        self.stdout.write(f"{result.summary} — {state}.")
