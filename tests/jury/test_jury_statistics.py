"""A jury report at a glance: the bands of each UE's and RCUE's averages, the year decisions, pass rates per group
and parcours, the same figures as the report's rows."""
import re
from collections import Counter
from decimal import Decimal

from django.urls import reverse

from grading.engine.codes import RCUE_VALIDATED, UE_VALIDATED
from grading.statistics import YEAR_PASSED


def test_the_year_report_shows_the_distributions_decisions_and_rates_of_its_rows(client, users, promotion):
    client.force_login(users["jury"])
    response = client.get(reverse("jury:report", args=["annee", promotion.s3.pk]))
    report, overview = response.context["report"], response.context["overview"]
    figures = overview.figures
    staying = [r for r in report.rows if not r.has_left]  # those who left count in the decisions only
    left = [r for r in report.rows if r.has_left]
    assert left and figures.left == len(left)
    for code in [c.code for c in report.ue_columns] + [c.key for c in report.rcue_columns]:
        averages = [Decimal(cells[code].average) for cells in ({**r.ues, **r.rcues} for r in staying)
                    if code in cells and cells[code].average is not None]
        expected = (sum(a < 8 for a in averages), sum(8 <= a < 10 for a in averages), sum(a >= 10 for a in averages))
        assert dict(figures.bands)[code] == expected and sum(expected) > 0
    decisions = Counter(r.recorded or r.proposal or "—" for r in report.rows)
    assert dict(figures.decisions) == dict(decisions)  # the DEM recorded or proposed is a decision: counted
    assert all(dict(figures.decisions)[r.recorded or r.proposal] for r in left)
    everyone = figures.rates[("Tous", "")]
    assert (everyone.passed, everyone.total) == (
        sum((r.recorded or r.proposal) in YEAR_PASSED for r in staying),
        sum(bool(r.recorded or r.proposal) for r in staying))
    assert everyone.total < sum(bool(r.recorded or r.proposal) for r in report.rows)  # DEM out of the denominator
    first_ue = report.ue_columns[0].code
    assert (figures.rates[("Tous", first_ue)].passed, figures.rates[("Tous", first_ue)].total) == (
        sum(r.ues[first_ue].code in UE_VALIDATED for r in staying if first_ue in r.ues),
        sum(bool(r.ues[first_ue].code) for r in staying if first_ue in r.ues))
    first_rcue = report.rcue_columns[0].key
    assert figures.rates[("Tous", first_rcue)].passed == sum(
        r.rcues[first_rcue].code in RCUE_VALIDATED for r in staying if first_rcue in r.rcues)
    page = response.content.decode()
    assert "En un coup d'œil" in page and page.count('role="img"') >= 2
    assert "hors démissions, défaillances et abandons : 1 étudiant parti, compté dans les décisions seulement" in page
    for code, count in decisions.items():
        assert re.search(rf'<tr><th scope="row">{code}</th><td>{count}</td></tr>', page)
    groups = {g.strip() for r in report.rows for g in r.groups.split(",") if g.strip()}
    assert groups and all(f'<th scope="row">{group}</th>' in page for group in groups)
