"""R7 UE acquired, R8 RCUE, R9 compensation, R10 lower levels, R11 repeaters, R13 odd semesters."""
import pytest
from engine_builders import P, Programme, avg, codes, year


def year_one(**grades):
    """Return a student's result over S1–S2 (2 competences), every UE at 12 unless given."""
    p = Programme(competences=2, semesters=(1, 2))
    p.student("s", year(1, 2, **grades))
    return p.result()


@pytest.mark.parametrize("grade,code", [("9.99", "AJ"), ("9.995", "ADM"), ("10.00", "ADM"), ("0", "AJ"),
                                        ("20", "ADM")])
def test_r7_ue_acquired_at_10_on_the_shown_value(grade, code):
    # The RCUE partner is at 0 so that no compensation can hide R7.
    r = year_one(**{"UE1.1": grade, "UE2.1": 0})
    assert r.ues["UE1.1"].decision == code
    assert r.ues["UE1.1"].ects == (15 if code == "ADM" else 0)


@pytest.mark.parametrize(
    "ue11,ue21,rcue,rcue_code,codes_",
    [
        ("11.10", "9.40", "10.25", "ADM", ["ADM", "CMP"]),
        ("11.99", "7.99", "9.99", "AJ", ["ADM", "AJ"]),
        ("12", "7.99", "10.00", "ADM", ["ADM", "CMP"]),  # 9.995 shown 10.00: validated
        ("12", "8", "10.00", "ADM", ["ADM", "CMP"]),
        ("9.99", "9.99", "9.99", "AJ", ["AJ", "AJ"]),
        ("9.995", "9.995", "10.00", "ADM", ["ADM", "ADM"]),
        ("5", "15", "10.00", "ADM", ["CMP", "ADM"]),  # the odd UE is compensated as well
    ],
)
def test_r9_compensate_inside_a_validated_rcue(ue11, ue21, rcue, rcue_code, codes_):
    r = year_one(**{"UE1.1": ue11, "UE2.1": ue21})
    assert (avg(r.rcues["C1-1"]), r.rcues["C1-1"].decision) == (rcue, rcue_code)
    assert codes(r, "UE1.1", "UE2.1") == codes_
    assert [r.ues[c].ects for c in ("UE1.1", "UE2.1")] == [15 if c in ("ADM", "CMP") else 0 for c in codes_]


def test_r9_explains_compensation_with_the_figures():
    r = year_one(**{"UE1.1": "11.10", "UE2.1": "9.40"})
    assert "UE2.1 compensée : 9,40 < 10 mais RCUE C1-1 10,25 ≥ 10 → CMP — R9" in r.explain
    assert "RCUE C1-1 validé : 10,25 ≥ 10 (UE1.1 11,10, UE2.1 9,40) → ADM — R9" in r.explain


@pytest.mark.parametrize("coefs,expected,code", [((2, 1), "10.00", "ADM"), ((1, 1), "9.00", "AJ"),
                                                 ((1, 3), "7.50", "AJ")])
def test_r8_rcue_average_weighted_by_rcue_coefficients(coefs, expected, code):
    p = Programme(competences=1, semesters=())
    p.add_ue("UE1.1", 1, "C1", 1, rcue_coef=coefs[0]).add_ue("UE2.1", 2, "C1", 1, rcue_coef=coefs[1])
    p.student("s", P(1, {"UE1.1": 12}), P(2, {"UE2.1": 6}))
    r = p.result()
    assert (avg(r.rcues["C1-1"]), r.rcues["C1-1"].decision) == (expected, code)
    assert r.rcues["C1-1"].ues == ("UE1.1", "UE2.1")


def test_r8_one_ue_without_average_gives_no_rcue_average_and_the_year_waits():
    r = year_one(**{"UE2.1": "EXC"})
    assert (r.rcues["C1-1"].average, r.rcues["C1-1"].decision) == (None, None)
    assert (r.ues["UE1.1"].decision, r.ues["UE2.1"].decision) == ("ADM", None)
    assert (r.year_proposals[1], r.may_enter_odd[1]) == ("ATT", None)


def test_r13_odd_semester_codes_are_provisional_and_a_path_ending_there_has_no_rcue():
    p = Programme(competences=3, semesters=(1, 2))
    p.student("s", P(1, {"UE1.1": 12, "UE1.2": "9.99", "UE1.3": "EXC"}))
    r = p.result()
    assert codes(r, "UE1.1", "UE1.2", "UE1.3") == ["ADM", "AJ", None]
    assert (r.rcues, r.years, r.year_proposals, r.may_enter_odd) == ({}, {}, {}, {})
    assert "UE1.2 : 9,99 < 10 → AJ, provisoire jusqu'au jury d'année — R13" in r.explain
    assert [r.passages[0].ues[c].decision for c in ("UE1.1", "UE1.2")] == ["ADM", "AJ"]


def test_r13_the_year_jury_turns_a_provisional_aj_into_cmp_and_updates_the_odd_passage():
    r = year_one(**{"UE1.1": 9, "UE2.1": 13})
    assert r.passages[0].ues["UE1.1"].decision == "CMP"
    assert r.ues["UE1.1"].decision == "CMP"


def ladder(year1, year2=None, prior=None):
    """Return a student over S1–S4 (4 competences, 7.5 ECTS per UE) with year grades given as dicts."""
    p = Programme(competences=4, semesters=(1, 2, 3, 4))
    path = [year(1, 2, **year1)] + ([year(3, 4, **year2)] if year2 is not None else [])
    p.student("s", *path, prior=prior)
    return p.result()


def test_r10_validating_level_2_gives_adsup_to_level_1():
    r = ladder({"UE1.1": 9, "UE2.1": 8}, {})
    assert codes(r, "UE1.1", "UE2.1", "C1-1") == ["ADSUP", "ADSUP", "ADSUP"]
    assert avg(r.rcues["C1-1"]) == "8.50"
    assert r.ues["UE1.1"].ects == r.ues["UE2.1"].ects == 7.5
    assert r.ects == 120
    assert "UE1.1 validé par le niveau supérieur (RCUE C1-2 validé) : AJ → ADSUP — R10" in r.explain
    # The year-1 passage shows the year-1 jury's codes, not the later ADSUP.
    assert r.passages[0].ues["UE1.1"].decision == "AJ"


def test_r10_leaves_validated_lower_levels_alone_and_skips_other_competences():
    r = ladder({"UE1.1": 9, "UE2.1": 12, "UE1.2": 9, "UE2.2": 8}, {"UE3.2": 5, "UE4.2": 5})
    assert codes(r, "UE1.1", "UE2.1", "C1-1") == ["CMP", "ADM", "ADM"]
    assert codes(r, "UE1.2", "UE2.2", "C2-1", "C2-2") == ["AJ", "AJ", "AJ", "AJ"]


def test_r10_reaches_prior_validations():
    p = Programme(competences=1, semesters=(1, 2, 3, 4))
    p.student("s", year(3, 4), prior={"UE1.1": "AJ", "UE2.1": ("ADM", 11)})
    r = p.result()
    assert codes(r, "UE1.1", "UE2.1", "C1-1") == ["ADSUP", "ADM", "ADSUP"]  # the RCUE is known through its UEs
    assert (r.rcues["C1-1"].average, r.rcues["C1-1"].ues) == (None, ("UE1.1", "UE2.1"))
    assert r.ects == 120


def repeater(first, second, prior=None, extra=0):
    """Return a student doing S1 S2 twice (4 competences); `first`/`second` override the default grade 12."""
    p = Programme(competences=4, semesters=(1, 2))
    p.student("s", year(1, 2, **first), year(1, 2, **second), prior=prior, extra_repeats=extra)
    return p.result()


FAILED_C1_C2 = {"UE1.1": 5, "UE2.1": 5, "UE1.2": 5, "UE2.2": 5}


@pytest.mark.parametrize(
    "new,average,code",
    [
        (9, "12.00", "ADM"),  # the capitalised average is better: kept
        (14, "14.00", "ADM"),  # the new one is better
        ("EXC", "12.00", "ADM"),  # no new average: the capitalised one
    ],
)
def test_r11_repeaters_keep_capitalised_ues_with_the_better_average(new, average, code):
    r = repeater(FAILED_C1_C2, {"UE1.3": new})
    assert r.years[1] == "ADM"
    assert (avg(r.ues["UE1.3"]), r.ues["UE1.3"].decision, r.ues["UE1.3"].capitalised) == (average, code, True)
    assert r.ues["UE1.3"].ects == 7.5


def test_r11_a_ue_not_acquired_before_takes_the_new_average_only():
    r = repeater(FAILED_C1_C2, {"UE1.1": 4, "UE2.1": 4})
    assert (avg(r.ues["UE1.1"]), r.ues["UE1.1"].decision) == ("4.00", "AJ")


def test_r11_better_of_feeds_the_rcue():
    # First year: UE1.3 12 (ADM), UE2.3 7, RCUE 9.50 (AJ). Second year: UE1.3 6, UE2.3 9; the RCUE uses 12, not 6.
    r = repeater({**FAILED_C1_C2, "UE2.3": 7}, {"UE1.3": 6, "UE2.3": 9})
    assert (avg(r.rcues["C3-1"]), r.rcues["C3-1"].decision) == ("10.50", "ADM")
    assert (r.ues["UE2.3"].decision, r.ues["UE1.3"].decision) == ("CMP", "ADM")
    assert ("UE1.3 déjà acquise (ADM) : sa moyenne 12,00 est conservée (cette fois 6,00) — R11"
            in r.explain)


def test_r11_a_cmp_ue_stays_capitalised_and_its_rcue_stays_validated():
    r = repeater({**FAILED_C1_C2, "UE1.3": 9, "UE2.3": 11}, {"UE1.3": 3, "UE2.3": 3})
    assert codes(r, "UE1.3", "UE2.3", "C3-1") == ["CMP", "ADM", "ADM"]
    assert avg(r.ues["UE1.3"]) == "9.00"


def test_r11_prior_validation_is_capitalised():
    p = Programme(competences=1, semesters=(1,))
    p.student("s", P(1, {"UE1.1": 7}), prior={"UE1.1": ("ADM", "10.5")})
    ue = p.result().ues["UE1.1"]
    assert (avg(ue), ue.decision, ue.ects, ue.capitalised) == ("10.50", "ADM", 30, True)
