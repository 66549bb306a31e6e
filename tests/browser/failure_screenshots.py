"""Screenshots of a failing browser test: a full-page PNG of every page its Chromium still has open.

They go to the folder named by the environment variable BROWSER_SCREENSHOTS, or else to
`tests/browser/screenshots/` (ignored by git); the failure's report lists the files. `tests/browser/conftest.py`
calls `screenshot_failure` from its `pytest_runtest_makereport` hook.
"""
import os
import re
from pathlib import Path

FOLDER_VARIABLE = "BROWSER_SCREENSHOTS"
DEFAULT_FOLDER = Path(__file__).resolve().parent / "screenshots"
REPORT_SECTION = "browser screenshots"
SCREENSHOT_TIMEOUT_MS = 10_000


def screenshot_folder() -> Path:
    return Path(os.environ.get(FOLDER_VARIABLE) or DEFAULT_FOLDER)


def open_pages(browser) -> list:
    """Return the pages still open in every context of a Playwright browser, in the order they were opened."""
    return [page for context in browser.contexts for page in context.pages if not page.is_closed()]


def file_stem(nodeid: str) -> str:
    """Turn a test id into a file name: `tests/browser/test_a.py::test_b[x]` -> `test_a.py__test_b_x`."""
    path, _, name = nodeid.partition("::")
    return re.sub(r"[^\w.-]+", "_", f"{Path(path).name}__{name}").strip("_")


def save_screenshots(pages: list, *, folder: Path, stem: str) -> tuple[list[Path], list[str]]:
    """Save a full-page screenshot of each page as `<stem>-<n>.png`; return the files and a line per page.

    A page that cannot be captured (crashed, or still busy past the timeout) gets a line saying so rather than
    an exception: the test's own failure is what the report must show.
    """
    folder.mkdir(parents=True, exist_ok=True)
    saved, lines = [], []
    for number, page in enumerate(pages, start=1):
        path = folder / f"{stem}-{number}.png"
        try:
            page.screenshot(path=str(path), full_page=True, timeout=SCREENSHOT_TIMEOUT_MS)
        except Exception as exc:  # any Playwright error: reported, never raised
            first_line = (str(exc).splitlines() or [""])[0]
            lines.append(f"not captured ({page.url}): {exc.__class__.__name__}: {first_line}")
        else:
            saved.append(path)
            lines.append(f"{path} ({page.url})")
    return saved, lines


def screenshot_failure(item, report) -> list[Path]:
    """Save the open pages of a failed test phase that holds a Chromium (`browser` fixture); list them in the
    report's `browser screenshots` section, which pytest prints under the failure."""
    browser = getattr(item, "funcargs", {}).get("browser")
    if not report.failed or browser is None or not browser.is_connected():
        return []
    pages = open_pages(browser)
    if not pages:
        return []
    saved, lines = save_screenshots(pages, folder=screenshot_folder(), stem=file_stem(item.nodeid))
    report.sections.append((REPORT_SECTION, "\n".join(lines)))
    return saved
