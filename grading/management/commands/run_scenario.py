import json

from django.core.management.base import BaseCommand, CommandError

from grading.scenarios.keep import keep_scenario_file
from grading.scenarios.run import ScenarioError, check_outcome, run_scenario_file


class Command(BaseCommand):
    help = (
        "Exécute des fichiers de scénario (docs/scenarios.md) et affiche le résultat en JSON ; "
        "avec --check, compare avec `expect` (code de sortie 1 en cas d'écart, 2 pour un fichier mal formé)."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--check", action="store_true", help="comparer avec la section expect")
        parser.add_argument("--keep", action="store_true",
                            help="enregistrer un scénario dans la base pour de bon (voir grading/scenarios/keep.py)")

    def handle(self, *args, files, check, keep=False, **options):
        if keep:
            return self.keep(files)
        runs = []
        for path in files:
            try:
                runs.append(run_scenario_file(path))
            except ScenarioError as exc:
                raise CommandError(str(exc), returncode=2) from exc
        if not check:
            outcome = runs[0].outcome if len(runs) == 1 else {run.path: run.outcome for run in runs}
            self.stdout.write(json.dumps(outcome, ensure_ascii=False, indent=2))
            return
        differences = [line for run in runs for line in check_outcome(run)]
        for line in differences:
            self.stdout.write(line)
        checked = sum(len(run.data.get("expect") or {}) for run in runs)
        summary = f"{len(runs)} scénario(s), {checked} étudiant(s) vérifié(s), {len(differences)} écart(s)"
        if differences:
            raise CommandError(summary, returncode=1)
        self.stdout.write(summary)

    def keep(self, files):
        if len(files) != 1:
            raise CommandError("--keep enregistre un seul scénario à la fois.", returncode=2)
        try:
            kept = keep_scenario_file(files[0])
        except ScenarioError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(json.dumps(kept, ensure_ascii=False, indent=2))
