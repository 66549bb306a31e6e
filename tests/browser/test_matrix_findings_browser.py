"""Headless Chromium on the matrix page: the live findings are the server's sentences (curriculum's checks on the
table as typed), the BUT3 pair sentence included, and they follow French decimals typed with the keyboard."""
import pytest
from django.urls import reverse

from curriculum.editor_views import FINDINGS_WAIT, NO_FINDING
from curriculum.findings import check_programme
from curriculum.selectors import get_programme_summary
from tests.browser.browsing import log_in, orm
from tests.curriculum.conftest import build_programme, reference  # noqa: F401 — fixtures
from tests.curriculum.test_checks import ue, year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def findings_shown(page) -> list[str]:
    page.wait_for_selector("#live-findings[aria-busy=false]")
    return page.locator("#live-findings li").all_inner_texts()


def test_the_matrix_page_shows_the_servers_findings_as_the_table_is_typed(browser_page, live_server, users,
                                                                         build_programme):  # noqa: F811
    # 70 % resources in UE5.1 and 65 % in UE6.1: the pair (135 / 200 = 67,5 %) breaks R12 too.
    orm(lambda: build_programme(year(5, [ue("UE5.1", "C1", 3, 30, 70, 30)], [ue("UE6.1", "C1", 3, 30, 65, 35)])))
    expected = orm(lambda: [f"{f.level_label} {f.message}" for f in check_programme(
        get_programme_summary(code="test-mpi")) if f.semester == 5])
    assert len(expected) == 1 and "Sur les deux UE de la compétence (UE5.1 et UE6.1)" in expected[0]
    page = browser_page
    log_in(page, live_server, "direction")
    page.goto(live_server.url + reverse("curriculum:matrix_edit", args=["test-mpi", 5]))
    assert findings_shown(page) == expected
    resources = page.locator("tfoot td[data-total=resources]")
    assert "warn" in resources.get_attribute("class")  # the total the finding is about

    page.locator("input[aria-label='Coefficient de R.01 dans UE5.1']").click()
    page.keyboard.type("29,5")  # 29,5 / (29,5 + 30) = 49,6 %: inside 40–60 %
    page.keyboard.press("Enter")
    assert resources.inner_text() == "29,5 (49,6 %)"
    assert findings_shown(page) == [NO_FINDING]
    assert "warn" not in resources.get_attribute("class")

    page.keyboard.type("2.5")  # SAE.01 in UE5.1: 29,5 / 32 = 92,2 %, the pair 94,5 / 132 = 71,6 %
    page.keyboard.press("ArrowUp")
    shown = findings_shown(page)
    assert shown == [
        "Avertissement UE5.1 : le pôle ressources pèse 92,2 % et le pôle SAÉ 7,8 % des coefficients, hors de "
        "l'intervalle 40–60 % (R12). Sur les deux UE de la compétence (UE5.1 et UE6.1), le pôle ressources pèse "
        "71,6 % : la règle n'est pas respectée non plus."]
    page.screenshot(path="/tmp/matrix-findings.png", full_page=True)

    page.keyboard.type("deux")  # in R.01's cell again: refused, the findings wait for it
    assert findings_shown(page) == [FINDINGS_WAIT.format(count=1)]
    assert "warn" not in resources.get_attribute("class")  # no stale mark while the findings wait
    page.screenshot(path="/tmp/matrix-findings-wait.png", full_page=True)
