"""No module of the application is past 400 lines (migrations apart): a module that grows beyond is split by
concern, as `grading/models/` and `curriculum/models/` are."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["butgmp", "curriculum", "grading", "accounts", "portal", "jury", "dashboard", "demo", "bench"]
MAX_LINES = 400


def test_no_module_of_the_application_is_past_400_lines():
    modules = [path for package in PACKAGES for path in (ROOT / package).rglob("*.py")
               if "migrations" not in path.parts]
    sizes = {str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines()) for path in modules}
    assert len(sizes) > 300  # every package was read
    assert {module: lines for module, lines in sizes.items() if lines > MAX_LINES} == {}
