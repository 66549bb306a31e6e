"""A failed browser test leaves a full-page screenshot of each page its Chromium has open, named in its report."""
import struct
from types import SimpleNamespace

import pytest

from tests.browser.failure_screenshots import REPORT_SECTION, screenshot_failure

pytestmark = pytest.mark.browser
TALL = "<body style='margin:0'><div style='height:2400px'>Grille de saisie</div></body>"


def png_size(path) -> tuple[int, int]:
    """Return (width, height) from a PNG's IHDR chunk."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def failed_call(browser, nodeid="tests/browser/test_grid.py::test_typing[TD1/TD2]"):
    return (SimpleNamespace(nodeid=nodeid, funcargs={"browser": browser}),
            SimpleNamespace(failed=True, when="call", sections=[]))


def test_a_failed_test_saves_every_open_page_in_full_and_names_the_files(browser, tmp_path, monkeypatch):
    monkeypatch.setenv("BROWSER_SCREENSHOTS", str(tmp_path))
    grid = browser.new_page(viewport={"width": 800, "height": 600})
    grid.set_content(TALL)
    other = browser.new_context().new_page()  # a second person's session, as in the student's journey
    other.set_content("<p>Mes résultats</p>")
    item, report = failed_call(browser)

    saved = screenshot_failure(item, report)

    assert saved == [tmp_path / "test_grid.py__test_typing_TD1_TD2-1.png",
                     tmp_path / "test_grid.py__test_typing_TD1_TD2-2.png"]
    assert png_size(saved[0]) == (800, 2400)  # the whole page, not the 600-pixel viewport
    assert png_size(saved[1])[0] > 0
    assert report.sections == [(REPORT_SECTION, f"{saved[0]} (about:blank)\n{saved[1]} (about:blank)")]


def test_a_passing_test_or_a_closed_browser_saves_nothing(browser, tmp_path, monkeypatch):
    monkeypatch.setenv("BROWSER_SCREENSHOTS", str(tmp_path))
    browser.new_page().set_content(TALL)
    item, report = failed_call(browser)
    report.failed = False
    assert screenshot_failure(item, report) == [] and report.sections == []

    browser.close()
    report.failed = True
    assert screenshot_failure(item, report) == [] and report.sections == []
    no_browser = SimpleNamespace(nodeid="tests/test_engine.py::test_r1", funcargs={})
    assert screenshot_failure(no_browser, report) == []
    assert list(tmp_path.iterdir()) == []
