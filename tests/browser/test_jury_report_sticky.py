"""Headless Chromium at 1 400 × 900 on the demo's BUT2 year report: scrolled to its last column, each row's student
name and the header stay in view (CSS sticky); the compact view fits the window's width."""
import pytest
from django.urls import reverse

from demo.build import DIJON_PROGRAMME
from demo.dates import LAST_YEAR, THIS_YEAR
from grading.models import Enrolment, SemesterInstance
from tests import shared_demo
from tests.browser.browsing import log_in

pytestmark = [pytest.mark.browser, pytest.mark.shared_demo, pytest.mark.django_db]

WIDTH, HEIGHT = 1400, 900
INSIDE = """([selector, width, height]) => [...document.querySelectorAll(selector)].map(e => {
  const b = e.getBoundingClientRect();
  return b.width > 0 && b.height > 0 && b.left >= 0 && b.top >= 0 && b.right <= width && b.bottom <= height;
})"""


def but2_year() -> tuple[int, int]:
    """This year's BUT2 (Dijon's work-study) S3: its id and how many students its year report lists."""
    s3 = SemesterInstance.objects.get(semester__programme__code=DIJON_PROGRAMME, semester__number=3,
                                      academic_year__start_year=THIS_YEAR)
    students = (Enrolment.objects.filter(semester_instance__semester__programme__code=DIJON_PROGRAMME,
                                         semester_instance__semester__number__in=(3, 4),
                                         semester_instance__academic_year__start_year=THIS_YEAR)
                .values("student").distinct().count())
    return s3.pk, students


def test_the_year_report_keeps_names_and_header_in_view_and_its_compact_view_fits(browser_page, demo):
    page = browser_page
    assert page.viewport_size == {"width": WIDTH, "height": HEIGHT}
    s3, students = shared_demo.in_own_connection(but2_year)
    log_in(page, demo.server, "jury", demo.password)
    url = demo.server.url + reverse("jury:report", args=["annee", s3])
    page.goto(url)
    rows = page.locator("table.jury-report tbody tr")
    assert rows.count() == students > 0
    # last year's repeaters: their UEs validated then are marked with that year
    marks = page.locator("table.jury-report small.origin")
    assert marks.count() > 0
    assert set(marks.all_inner_texts()) <= {f"cap. {LAST_YEAR}-{str(LAST_YEAR + 1)[2:]}", "cap."}
    assert marks.first.get_attribute("title") == f"capitalisée en {LAST_YEAR}-{LAST_YEAR + 1}"

    scroller = page.locator("#report-scroll")
    scroller.scroll_into_view_if_needed()
    widths = scroller.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert widths[0] > widths[1]  # the full view is wider than the window: it scrolls inside its box
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH  # the page itself does not
    page.evaluate("""() => { const box = document.getElementById('report-scroll');
                             box.scrollLeft = box.scrollWidth; box.scrollTop = box.scrollHeight;
                             box.scrollIntoView({block: 'end'}); }""")
    assert scroller.evaluate("e => e.scrollLeft + e.clientWidth >= e.scrollWidth - 1 && e.scrollLeft > 0")
    # the last column, its header, the header's name cell and the last row's name and INE: all in the window
    for selector in ("table.jury-report thead th:last-child", "table.jury-report thead th.sticky-name",
                     "table.jury-report tbody tr:last-child td:last-child",
                     "table.jury-report tbody tr:last-child td.sticky-name",
                     "table.jury-report tbody tr:last-child td.sticky-ine"):
        assert page.evaluate(INSIDE, [selector, WIDTH, HEIGHT]) == [True], selector
    # and nothing covers the name: the element at its centre is the name's cell (or its link)
    name = rows.last.locator("td.sticky-name")
    box = name.bounding_box()
    hit = page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('td')?.className",
                        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
    assert hit == "sticky-name"
    header = page.locator("table.jury-report thead th.sticky-name").bounding_box()
    assert header["y"] + header["height"] <= box["y"] + 1  # the header stays above the rows

    # in print: the whole table, the header repeated on each page, nothing sticky, the highlights kept
    page.emulate_media(media="print")
    printed = page.evaluate("""() => {
      const box = getComputedStyle(document.getElementById('report-scroll'));
      const th = getComputedStyle(document.querySelector('table.jury-report thead th'));
      const head = getComputedStyle(document.querySelector('table.jury-report thead'));
      const bar = getComputedStyle(document.querySelector('.topbar'));
      return [box.overflowX, box.maxHeight, th.position, head.display, bar.display]; }""")
    assert printed == ["visible", "none", "static", "table-header-group", "none"]
    page.emulate_media(media="screen")

    page.click("#compact-view")
    page.wait_for_url("**vue=compacte**")
    assert page.locator("table.jury-report.compact tbody tr").count() == students
    table = page.locator("table.jury-report").bounding_box()
    assert table["x"] >= 0 and table["x"] + table["width"] <= WIDTH
    widths = scroller.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert widths[0] <= widths[1], widths  # no sideways scrolling left
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    # averages on demand: each code's cell tells its average in its title
    first = page.locator("table.jury-report tbody tr td.num span.result").first
    assert first.get_attribute("title").startswith("moyenne ")
