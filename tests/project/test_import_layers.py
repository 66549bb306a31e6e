"""The import rules of the application (pyproject's [tool.importlinter], run by `make lint`) hold, and would fail
on a forbidden import: each case copies the packages, adds one import a rule forbids and runs import-linter."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["butgmp", "curriculum", "grading", "accounts", "portal", "jury", "dashboard", "demo"]
LINT_IMPORTS = str(Path(sys.executable).with_name("lint-imports"))


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([LINT_IMPORTS, "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_the_application_keeps_its_import_rules():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    """A copy of the application's packages and of pyproject.toml, which keeps every rule as it is."""
    root = tmp_path_factory.mktemp("layers")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, root / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


@pytest.mark.parametrize(("module", "line", "broken"), [
    ("grading/loaders.py", "import jury.report", "Layers"),
    ("portal/results.py", "from jury import sessions", "Layers"),
    ("accounts/selectors.py", "import portal.links", "Layers"),
    ("accounts/views.py", "from jury import report", "Layers"),
    ("portal/results.py", "import accounts.policy", "Layers"),
    ("grading/loaders.py", "import accounts.selectors", "Layers"),
    ("curriculum/totals.py", "import grading.models", "Layers"),
    ("butgmp/formats.py", "from grading.engine import rounding", "Layers"),
    ("grading/engine/rounding.py", "import grading.models", "The engine imports nothing"),
    ("jury/report.py", "import demo.build", "Nothing in the application imports the demo"),
    ("grading/loaders.py", "import tests.conftest", "Nothing in the application imports the demo"),
])
def test_a_forbidden_import_breaks_its_rule(copy, module, line, broken):
    target = copy / module
    original = target.read_text(encoding="utf-8")
    target.write_text(original + f"\n{line}  # noqa\n", encoding="utf-8")
    try:
        result = lint_imports(copy)
    finally:
        target.write_text(original, encoding="utf-8")
    assert result.returncode == 1
    assert "2 kept, 1 broken" in result.stdout
    assert broken in result.stdout.split("Broken contracts")[1], result.stdout
