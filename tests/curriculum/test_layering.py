"""House style: `grading` imports `curriculum`, never the reverse (curriculum reaches grading through settings)."""
import ast
from pathlib import Path

import curriculum

CURRICULUM = Path(curriculum.__file__).parent


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_no_curriculum_module_imports_grading():
    files = sorted(CURRICULUM.rglob("*.py"))
    assert len(files) > 20  # models, selectors, editing, admin, migrations…
    offenders = {str(path.relative_to(CURRICULUM)): sorted(m for m in imported_modules(path)
                                                            if m == "grading" or m.startswith("grading."))
                 for path in files}
    assert {path: modules for path, modules in offenders.items() if modules} == {}


def test_the_layering_test_would_see_an_import_of_grading(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nfrom grading.engine import compute\nimport grading.loaders as loaders\n")
    assert imported_modules(sample) == {"os", "grading.engine", "grading.loaders"}


def test_curriculum_names_the_grading_callables_it_uses_only_in_settings(settings):
    assert settings.PROGRAMME_INSTANCES == "grading.programme_impact.programme_instances"
    assert settings.PROGRAMME_IMPACT == "grading.programme_impact.impact"
