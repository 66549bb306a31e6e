import pytest

from curriculum.findings import (
    CODE_DUPLICATE_LEVEL,
    CODE_ECTS,
    CODE_LEVEL_YEAR,
    CODE_NO_COEFFICIENT,
    CODE_POLE_WEIGHT,
    CODE_RCUE_PAIR,
    CODE_UNKNOWN_COEFFICIENTS,
    ERROR,
    WARNING,
    check_programme,
)
from curriculum.selectors import get_programme_summary

POLES = {"R.01": "resource", "SAE.01": "sae"}


def findings_of(code: str = "test-mpi"):
    return check_programme(get_programme_summary(code=code))


def codes(findings) -> list[tuple[str, str]]:
    return [(f.code, f.ue) for f in findings]


def ue(code, competence, level, ects, resources, sae):
    return (code, competence, level, ects, [("R.01", resources, (0, 0, 0, 0)), ("SAE.01", sae, (0, 0, 0, 0))])


def year(odd: int, ues_odd: list, ues_even: list) -> dict:
    return {odd: {"modules": POLES, "ues": ues_odd}, odd + 1: {"modules": POLES, "ues": ues_even}}


def test_a_programme_following_every_rule_has_no_finding(small_programme):
    assert findings_of() == []


def test_it_reports_a_semester_whose_ects_do_not_sum_to_30(build_programme):
    build_programme(year(3, [ue("UE3.1", "C1", 2, 14, 5, 5), ue("UE3.2", "C2", 2, 15, 5, 5)],
                         [ue("UE4.1", "C1", 2, 15, 5, 5), ue("UE4.2", "C2", 2, 15, 5, 5)]))
    findings = findings_of()
    assert codes(findings) == [(CODE_ECTS, "")]
    assert findings[0].level == ERROR
    assert findings[0].semester == 3
    assert findings[0].message == "S3 : les ECTS des UE totalisent 29 au lieu de 30."


def test_it_reports_a_missing_rcue_pair_both_ways(build_programme):
    build_programme(year(3, [ue("UE3.1", "C1", 2, 15, 5, 5), ue("UE3.2", "C2", 2, 15, 5, 5)],
                         [ue("UE4.1", "C1", 2, 15, 5, 5), ue("UE4.3", "C3", 2, 15, 5, 5)]))
    findings = findings_of()
    assert codes(findings) == [(CODE_RCUE_PAIR, "UE3.2"), (CODE_RCUE_PAIR, "UE4.3")]
    assert all(f.level == ERROR for f in findings)
    assert "UE3.2 (C2 niveau 2) : aucune UE de S4" in findings[0].message
    assert "RCUE est incomplet" in findings[0].message


def test_a_pair_at_another_level_does_not_complete_the_rcue(build_programme):
    build_programme(year(3, [ue("UE3.1", "C1", 2, 30, 5, 5)], [ue("UE4.1", "C1", 1, 30, 5, 5)]))
    assert (CODE_RCUE_PAIR, "UE3.1") in codes(findings_of())


def test_a_missing_even_semester_is_named_in_the_rcue_finding(build_programme):
    build_programme({3: {"modules": POLES, "ues": [ue("UE3.1", "C1", 2, 30, 5, 5)]}})
    [finding] = findings_of()
    assert finding.code == CODE_RCUE_PAIR
    assert "le semestre S4 n'est pas dans le programme" in finding.message


def test_it_warns_when_a_common_competence_level_does_not_match_the_year(build_programme):
    build_programme(year(3, [ue("UE3.1", "C1", 1, 30, 5, 5)], [ue("UE4.1", "C1", 1, 30, 5, 5)]))
    findings = findings_of()
    assert codes(findings) == [(CODE_LEVEL_YEAR, "UE3.1"), (CODE_LEVEL_YEAR, "UE4.1")]
    assert findings[0].level == WARNING
    assert "niveau 2 attendu" in findings[0].message


def test_a_parcours_competence_may_start_at_level_1_in_but2(build_programme):
    build_programme(year(3, [ue("UE3.5", "MPI", 1, 30, 5, 5)], [ue("UE4.5", "MPI", 1, 30, 5, 5)]))
    assert findings_of() == []


def test_two_ues_of_one_semester_cannot_share_a_competence_level(build_programme):
    build_programme(year(3, [ue("UE3.1", "C1", 2, 15, 5, 5), ue("UE3.1b", "C1", 2, 15, 5, 5)],
                         [ue("UE4.1", "C1", 2, 30, 5, 5)]))
    assert (CODE_DUPLICATE_LEVEL, "UE3.1") in codes(findings_of())


@pytest.mark.parametrize("resources, warned", [(39, True), (40, False), (50, False), (60, False), (61, True)])
def test_r12_pole_weights_between_40_and_60_percent_bounds_included(build_programme, resources, warned):
    build_programme(year(3, [ue("UE3.1", "C1", 2, 30, resources, 100 - resources)],
                         [ue("UE4.1", "C1", 2, 30, 50, 50)]))
    findings = findings_of()
    assert codes(findings) == ([(CODE_POLE_WEIGHT, "UE3.1")] if warned else [])
    if warned:
        assert findings[0].level == WARNING
        assert f"le pôle ressources pèse {resources} %" in findings[0].message
        assert "(R12)" in findings[0].message


def test_r12_pole_weights_use_decimal_coefficients_exactly(build_programme):
    # 2 / 5 = 40 % exactly: no warning; 1,95 / 5 = 39 %: a warning.
    build_programme(year(3, [ue("UE3.1", "C1", 2, 15, "2", "3"), ue("UE3.2", "C2", 2, 15, "1.95", "3.05")],
                         [ue("UE4.1", "C1", 2, 15, 5, 5), ue("UE4.2", "C2", 2, 15, 5, 5)]))
    assert codes(findings_of()) == [(CODE_POLE_WEIGHT, "UE3.2")]


def test_r12_in_but3_may_hold_over_the_two_ues_of_a_competence(build_programme):
    # 70 % then 20 % resources: each UE is outside 40–60 %, the pair (90 / 200 = 45 %) is inside.
    build_programme(year(5, [ue("UE5.1", "C1", 3, 30, 70, 30)], [ue("UE6.1", "C1", 3, 30, 20, 80)]))
    assert findings_of() == []


def test_r12_in_but3_warns_when_the_pair_breaks_it_too(build_programme):
    build_programme(year(5, [ue("UE5.1", "C1", 3, 30, 70, 30)], [ue("UE6.1", "C1", 3, 30, 65, 35)]))
    findings = findings_of()
    assert codes(findings) == [(CODE_POLE_WEIGHT, "UE5.1"), (CODE_POLE_WEIGHT, "UE6.1")]
    assert "Sur les deux UE de la compétence (UE5.1 et UE6.1)" in findings[0].message


def test_r12_pair_rule_does_not_apply_before_but3(build_programme):
    build_programme(year(3, [ue("UE3.1", "C1", 2, 30, 70, 30)], [ue("UE4.1", "C1", 2, 30, 20, 80)]))
    assert codes(findings_of()) == [(CODE_POLE_WEIGHT, "UE3.1"), (CODE_POLE_WEIGHT, "UE4.1")]


def test_unknown_coefficients_give_a_warning_that_the_source_gives_none(build_programme):
    build_programme(year(3, [ue("UE3.1", "C1", 2, 30, None, 5)], [ue("UE4.1", "C1", 2, 30, 5, 5)]))
    findings = findings_of()
    assert codes(findings) == [(CODE_UNKNOWN_COEFFICIENTS, "UE3.1")]
    assert findings[0].level == WARNING
    assert findings[0].message.startswith("UE3.1 : la source ne donne pas le coefficient de R.01")


def test_a_ue_without_any_coefficient_gets_a_warning(build_programme):
    build_programme(year(3, [ue("UE3.1", "C1", 2, 30, 0, 0)], [ue("UE4.1", "C1", 2, 30, 5, 5)]))
    assert codes(findings_of()) == [(CODE_NO_COEFFICIENT, "UE3.1")]


def test_errors_come_before_warnings(build_programme):
    build_programme(year(3, [ue("UE3.1", "C1", 2, 29, 70, 30)], [ue("UE4.1", "C1", 2, 30, 5, 5)]))
    assert [f.level for f in findings_of()] == [ERROR, WARNING]
