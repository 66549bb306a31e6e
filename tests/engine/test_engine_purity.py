"""The engine is pure Python: no Django import anywhere in grading/engine (house style, rules.md)."""
import ast
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import grading.engine

ENGINE = Path(grading.engine.__file__).parent
ROOT = ENGINE.parent.parent


def engine_modules() -> list[str]:
    """Return the dotted names of every module of the engine package."""
    return ["grading.engine"] + [f"grading.engine.{m.name}" for m in pkgutil.iter_modules([str(ENGINE)])]


def test_the_engine_package_has_the_expected_modules():
    assert {"grading.engine.compute", "grading.engine.codes", "grading.engine.types", "grading.engine.rounding",
            "grading.engine.scores", "grading.engine.validation", "grading.engine.progression"} <= set(engine_modules())


def test_importing_every_engine_module_does_not_import_django():
    code = (
        "import importlib, sys\n"
        f"for name in {engine_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(len(leaked), leaked[:3])\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "0 []"


def test_no_engine_source_names_django():
    imported = set()
    for path in ENGINE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                imported.add(node.module.split(".")[0])
    assert "django" not in imported
    assert imported <= {"collections", "contextlib", "dataclasses", "decimal", "enum", "fractions", "gc", "math",
                        "operator", "types", "typing", "__future__"}


def test_compute_is_exported_from_the_package():
    from grading.engine import compute
    from grading.engine.compute import compute as compute_

    assert compute is compute_
