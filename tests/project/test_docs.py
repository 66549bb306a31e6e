"""The README and the docs link only to files of the repository; docs/rules.md states every rule by its id."""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r"\]\(([^)]+)\)")
DOCUMENTS = ["README.md", "docs/rules.md", "docs/scenarios.md"]


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_link_points_to_a_file_inside_the_repository(document):
    path = ROOT / document
    targets = LINK.findall(path.read_text())
    for target in targets:
        assert not target.startswith(("http:", "https:")), target
        resolved = (path.parent / target.split("#")[0]).resolve()
        assert resolved.is_relative_to(ROOT), f"{document} links outside the repository: {target}"
        assert resolved.exists(), f"{document} links to a missing file: {target}"


def test_the_readme_links_the_rules_and_the_scenario_format():
    readme = (ROOT / "README.md").read_text()
    assert "](docs/rules.md)" in readme and "](docs/scenarios.md)" in readme
    assert "../shared" not in readme


def test_the_rules_page_states_r1_to_r19_and_the_readings():
    rules = (ROOT / "docs/rules.md").read_text()
    for number in range(1, 20):
        assert re.search(rf"\*\*R{number} — ", rules), f"R{number} missing"
    readings = rules[rules.index("## Readings"):]
    for reading in ("**R2**", "**R1**", "**R3**", "**R8 and R6**", "**R10**", "**R15**", "**R17**",
                    "**Order of jury decisions**"):
        assert reading in readings


def test_every_butgmp_setting_has_a_row_in_the_readmes_settings_tables():
    settings = (ROOT / "butgmp/settings.py").read_text()
    names = set(re.findall(r"(?:\benv\w*|os\.environ\.get)\(\s*\"(BUTGMP_\w+)\"", settings))
    readme = (ROOT / "README.md").read_text()
    assert len(names) >= 20
    assert sorted(name for name in names if f"| `{name}` |" not in readme) == []
