"""`pip install .` carries every application: pyproject's package list finds each of the project's apps and each of
their packages (migrations, management commands, models, services…), as setuptools reads it to build the wheel."""
import tomllib
from pathlib import Path

from django.conf import settings
from setuptools import find_packages

ROOT = Path(__file__).resolve().parents[2]


def test_the_package_list_carries_every_application_and_all_their_packages():
    include = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"][
        "find"]["include"]
    found = set(find_packages(where=str(ROOT), include=include))
    apps = {app.split(".")[0] for app in settings.INSTALLED_APPS if (ROOT / app.split(".")[0]).is_dir()}
    assert apps == {"butgmp", "curriculum", "grading", "accounts", "portal", "jury", "dashboard", "demo"}
    packages = {".".join(init.relative_to(ROOT).parts[:-1])
                for app in apps for init in (ROOT / app).rglob("__init__.py")}
    assert {"grading.migrations", "jury.management.commands", "curriculum.models", "grading.engine"} <= packages
    assert packages <= found, sorted(packages - found)
    assert not {package for package in found if package.split(".")[0] in {"tests", "bench"}}
