"""The engine is pure Python: no Django import anywhere in grading/engine (house style, rules.md)."""
import ast
import gc
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import grading.engine
from grading.engine import compute

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
    from grading.engine.compute import compute as compute_

    assert compute is compute_


def test_compute_leaves_no_reference_cycle_and_restores_the_garbage_collector():
    """compute() pauses the cyclic collector for speed: it must create no cycle, and give the collector back."""
    from engine_builders import P, Programme, year

    p = Programme(competences=2, semesters=(1, 2, 3, 4))
    p.student("a", year(1, 2, **{"UE1.1": 9}), year(3, 4), prior={"UE9.9": "ADM"})
    p.student("b", year(1, 2, **{"UE1.1": 5, "UE2.1": 5}), P(1, {"UE1.1": "ATT"}), P(2, jury={"year": "RED"}))
    cohort = p.cohort()
    gc.collect()
    result = compute(cohort)
    del result
    assert gc.collect() == 0
    assert gc.isenabled()
    gc.disable()
    try:
        compute(cohort)
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()
