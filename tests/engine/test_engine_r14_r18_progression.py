"""R14 odd semesters, R15 entering S5, R16 year decisions and jury, R17 repeat limits, R18 diplomas."""
import pytest
from engine_builders import P, Programme, avg, codes, year

from grading.engine.progression import r17_may_repeat


def year1(competences=4, **grades):
    """Return a student's result over S1–S2, every UE at 12 unless given."""
    p = Programme(competences=competences, semesters=(1, 2))
    p.student("s", year(1, 2, **grades))
    return p.result()


def failing(*competences, grade=9):
    """Return year-1 grades failing the given competences' RCUEs (both UEs at `grade`)."""
    return {f"UE{s}.{c}": grade for c in competences for s in (1, 2)}


@pytest.mark.parametrize(
    "competences,failed,may_enter,proposal",
    [
        (4, (1, 2), False, "RED"),  # exactly half validated: not enough
        (4, (1,), True, "PASD"),  # one more: enough
        (5, (1, 2, 3), False, "RED"),
        (5, (1, 2), True, "PASD"),  # 3 of 5
        (4, (), True, "ADM"),
    ],
)
def test_r14_more_than_half_of_the_rcues_validated(competences, failed, may_enter, proposal):
    r = year1(competences, **failing(*failed))
    assert (r.may_enter_odd[1], r.year_proposals[1], r.years[1]) == (may_enter, proposal, proposal)


@pytest.mark.parametrize("grade,shown,may_enter,proposal", [("7.99", "7.99", False, "RED"),
                                                            ("7.995", "8.00", True, "PASD"),
                                                            ("8.00", "8.00", True, "PASD")])
def test_r14_every_rcue_at_8_or_more(grade, shown, may_enter, proposal):
    r = year1(**failing(4, grade=grade))
    assert avg(r.rcues["C4-1"]) == shown
    assert (r.may_enter_odd[1], r.years[1]) == (may_enter, proposal)


def test_r14_explains_the_count_and_the_floor():
    r = year1(**failing(3, 4, grade="7.5"))
    assert ("Pas de passage en BUT2 : 2 RCUE validés sur 4 (il en faut plus de la moitié), RCUE C3-1 7,50 < 8, "
            "RCUE C4-1 7,50 < 8 ; redoublement possible → RED — R14, R17") in r.explain


def test_r14_an_adj_rcue_counts_as_validated_and_as_8():
    p = Programme(competences=4, semesters=(1, 2))
    p.student("s", P(1, failing(1, 2, grade=5), default=12), P(2, failing(1, 2, grade=5), default=12,
                                                                jury={"C1-1": "ADJ"}))
    r = p.result()
    assert codes(r, "C1-1", "UE1.1", "UE2.1", "C2-1") == ["ADJ", "ADJR", "ADJR", "AJ"]
    assert (r.ues["UE1.1"].ects, r.ues["UE1.2"].ects) == (7.5, 0)
    assert (r.may_enter_odd[1], r.years[1]) == (False, "RED")  # C2-1 is at 5
    assert "Jury : C1-1 ADJ, au lieu de AJ — R16" in r.explain
    assert "UE2.1 : 5,00 dans le RCUE C1-1 validé par le jury → ADJR — R16" in r.explain


def test_r16_jury_adj_on_an_rcue_turns_its_failed_ue_into_adjr_and_opens_the_year():
    p = Programme(competences=4, semesters=(1, 2))
    p.student("s", P(1, failing(1, 2, grade=12) | {"UE1.1": 11}, default=12),
              P(2, {"UE2.1": 7, "UE2.2": "7.5", "UE1.1": 1}, default=12, jury={"C2-1": "ADJ"}))
    r = p.result()
    assert codes(r, "C1-1", "UE1.1", "UE2.1") == ["AJ", "ADM", "AJ"]
    assert codes(r, "C2-1", "UE1.2", "UE2.2") == ["ADJ", "ADM", "ADJR"]
    assert (r.may_enter_odd[1], r.years[1], r.year_proposals[1]) == (True, "PASD", "PASD")


def test_r16_jury_decisions_on_ue_and_year_prevail_and_keep_the_proposal():
    p = Programme(competences=4, semesters=(1, 2))
    p.student("s", P(1, {"UE1.1": 6}, default=12, jury={"UE1.1": "ADJ"}),
              P(2, failing(2, 3, grade=6), default=12, jury={"year": "PAS1NCI"}))
    r = p.result()
    assert (r.ues["UE1.1"].decision, r.ues["UE1.1"].ects, r.ues["UE1.1"].by_jury) == ("ADJ", 7.5, True)
    assert r.ues["UE2.1"].decision == "ADM"
    assert (r.year_proposals[1], r.years[1]) == ("RED", "PAS1NCI")
    assert "Jury : UE1.1 ADJ, au lieu de AJ — R16" in r.explain
    assert "Jury : décision d'année PAS1NCI, au lieu de la proposition RED — R16" in r.explain


def test_r16_jury_validating_a_higher_rcue_gives_adsup_to_lower_levels():
    p = Programme(competences=1, semesters=(1, 2, 3, 4))
    p.student("s", P(3, {"UE3.1": 5}), P(4, {"UE4.1": 5}, jury={"C1-2": "ADJ"}),
              prior={"UE1.1": "AJ", "UE2.1": ("CMP", 9)})
    r = p.result()
    assert codes(r, "C1-2", "UE3.1", "UE4.1", "UE1.1", "UE2.1") == ["ADJ", "ADJR", "ADJR", "ADSUP", "CMP"]
    assert (r.ects, r.years[2], r.year_proposals[2]) == (120, "ADM", "ADM")
    assert "UE1.1 validé par le niveau supérieur (RCUE C1-2 validé) : AJ → ADSUP — R10" in r.explain


def test_r13_an_rcue_or_year_decision_at_an_odd_semester_jury_is_refused():
    p = Programme(competences=1, semesters=(1, 2, 3))
    p.student("s", year(1, 2, **{"UE1.1": 6, "UE2.1": 7}), P(3, {"UE3.1": 11}, jury={"C1-1": "ADJ", "year": "RAT"}))
    r = p.result()
    assert codes(r, "C1-1", "UE1.1", "UE2.1", "UE3.1") == ["AJ", "AJ", "AJ", "ADM"]
    assert (r.years, r.year_proposals) == ({1: "RED"}, {1: "RED"})
    assert r.ects == 30
    assert ("Jury de S3 : RCUE C1-1 ADJ refusée, un jury de semestre impair ne décide que des UE — R13"
            in r.explain)
    assert ("Jury de S3 : décision d'année RAT refusée, un jury de semestre impair ne décide que des UE — R13"
            in r.explain)


@pytest.mark.parametrize("status", ["DEF", "DEM", "ABAN"])
def test_r16_status_gives_the_decision_of_the_last_year_even_on_an_odd_semester(status):
    p = Programme(competences=2, semesters=(1, 2, 3, 4))
    p.student("odd", year(1, 2), P(3, default=12), status=status)
    p.student("even", year(1, 2), year(3, 4), status=status)
    result = p.compute().students
    assert (result["odd"].years, result["odd"].year_proposals) == ({1: "ADM", 2: status}, {1: "ADM", 2: status})
    assert result["even"].years == {1: "ADM", 2: status}


@pytest.mark.parametrize(
    "grades,proposal",
    [
        ({}, "ADM"),
        (failing(1), "RED"),  # BUT3 has no PASD
        ({"UE5.1": "ATT"}, "ATT"),
        ({"UE6.2": "EXC"}, "ATT"),  # an RCUE without average
    ],
)
def test_r16_but3_has_no_pasd(grades, proposal):
    p = Programme(competences=4, semesters=(5, 6))
    p.student("s", year(5, 6, **{k.replace("UE1.", "UE5.").replace("UE2.", "UE6."): v for k, v in grades.items()}))
    r = p.result()
    assert r.years[3] == proposal
    assert r.may_enter_odd == {}


@pytest.mark.parametrize(
    "repeats,repeated_in_year,extra,allowed",
    [
        (0, 0, 0, True),
        (2, 0, 0, True),  # 2 + 2 = 4: within the cursus limit
        (3, 0, 0, False),
        (0, 1, 0, False),  # a semester of the year already repeated
        (0, 2, 0, False),
        (0, 1, 1, True),  # the director granted one more
        (3, 0, 1, True),
        (4, 0, 1, False),
        (0, 2, 1, False),
    ],
)
def test_r17_repeat_limits(repeats, repeated_in_year, extra, allowed):
    assert r17_may_repeat(repeats, repeated_in_year, extra) is allowed


@pytest.mark.parametrize("extra", [0, 1])
def test_r17_a_year_repeated_once_may_not_be_repeated_again(extra):
    p = Programme(competences=4, semesters=(1, 2))
    bad = failing(1, 2, 3, grade=5)
    p.student("s", year(1, 2, **bad), year(1, 2, **bad), extra_repeats=extra)
    r = p.result()
    assert (r.year_proposals[1], r.years[1]) == ("NAR", "NAR")  # both semesters were repeated already
    assert "S2 redoublé (2 semestres redoublés jusqu'ici) — R17" in r.explain
    assert ("Pas de passage en BUT2 : 1 RCUE validé sur 4 (il en faut plus de la moitié), RCUE C1-1 5,00 < 8, "
            "RCUE C2-1 5,00 < 8, RCUE C3-1 5,00 < 8 ; redoublement impossible → NAR — R14, R17") in r.explain


@pytest.mark.parametrize("extra,second", [(0, "NAR"), (1, "RED")])
def test_r17_an_extra_repeat_allows_one_repeated_semester(extra, second):
    p = Programme(competences=4, semesters=(1, 2))
    bad = failing(1, 2, 3, grade=5)
    p.student("s", year(1, 2, **bad), P(2, {k: v for k, v in bad.items() if k.startswith("UE2.")}, default=12),
              extra_repeats=extra)
    r = p.result()
    assert [len(r.passages), r.years[1]] == [3, second]


def test_r17_at_most_four_repeats_over_the_cursus():
    p = Programme(competences=4, semesters=(1, 2, 3, 4))
    bad1 = failing(1, 2, 3, grade=5)
    bad2 = {k.replace("UE1.", "UE3.").replace("UE2.", "UE4."): v for k, v in bad1.items()}
    p.student("twice", year(1, 2, **bad1), year(1, 2), year(3, 4, **bad2))
    p.student("four", year(1, 2, **bad1), year(1, 2), year(3, 4, **bad2), year(3, 4, **bad2))
    result = p.compute().students
    assert result["twice"].years == {1: "ADM", 2: "RED"}  # 2 repeats so far: one more year allowed
    assert result["four"].years == {1: "ADM", 2: "NAR"}


def s1_to_s4(year1, year2, prior=None):
    """Return a student over S1–S4 (4 competences, 7.5 ECTS per UE)."""
    p = Programme(competences=4, semesters=(1, 2, 3, 4))
    p.student("s", year(1, 2, **year1), year(3, 4, **year2), prior=prior)
    return p.result()


def test_r15_entering_s5_needs_every_ue_of_s1_s2():
    fail_c4 = {"UE1.4": 9, "UE2.4": 9}
    r = s1_to_s4(fail_c4, {"UE3.4": 9, "UE4.4": 9})
    assert (r.years[1], r.may_enter_odd[2], r.may_enter_s5, r.years[2]) == ("PASD", True, False, "RED")
    assert "Pas de passage en BUT3 : UE1.4, UE2.4 de BUT1 non validées ; redoublement possible → RED — R15, R17" \
        in r.explain


def test_r15_holds_once_s1_s2_are_validated():
    r = s1_to_s4({}, {"UE3.4": 9, "UE4.4": 9})
    assert (r.may_enter_odd[2], r.may_enter_s5, r.years[2]) == (True, True, "PASD")


def test_r15_a_higher_level_validates_s1_s2_through_adsup():
    r = s1_to_s4({"UE1.4": 9, "UE2.4": 9}, {})
    assert (r.may_enter_s5, r.years[2]) == (True, "ADM")


def test_r15_unknown_without_s1_s2_gives_no_proposal_and_a_flag():
    p = Programme(competences=4, semesters=(1, 2, 3, 4))
    p.student("s", year(3, 4, **{"UE3.4": 9, "UE4.4": 9}))
    r = p.result()
    assert (r.may_enter_odd[2], r.may_enter_s5, r.years[2], r.year_proposals[2]) == (True, None, "ATT", "ATT")
    assert r.flags == ["BUT1 non renseigné"]
    assert any(line.startswith("Pas de proposition : BUT1 non renseigné (UE1.1, UE1.2") and line.endswith("— R15")
               for line in r.explain)


def test_r15_unknown_does_not_hold_back_an_adm_year():
    p = Programme(competences=4, semesters=(1, 2, 3, 4))
    p.student("s", year(3, 4))
    r = p.result()
    assert (r.may_enter_s5, r.years[2], r.flags) == (None, "ADM", [])


def test_r15_unknown_when_only_part_of_but1_is_on_record():
    p = Programme(competences=4, semesters=(1, 2, 3, 4))
    p.student("s", year(3, 4, **{"UE3.4": 9, "UE4.4": 9}), prior={"UE1.1": "ADM", "UE2.1": "ADM"})
    r = p.result()
    assert (r.may_enter_s5, r.years[2], r.flags) == (None, "ATT", ["BUT1 non renseigné"])


def test_r15_a_known_failure_gives_red_even_with_but1_partly_missing():
    p = Programme(competences=4, semesters=(1, 2, 3, 4))
    # C4-2 is not validated, so UE1.4 stays AJ (no ADSUP, R10)
    p.student("s", year(3, 4, **{"UE3.4": 9, "UE4.4": 9}), prior={"UE1.4": "AJ"})
    r = p.result()
    assert (r.may_enter_s5, r.years[2], r.flags) == (False, "RED", [])


@pytest.mark.parametrize(
    "year2,ects,dut",
    [
        ({}, 120, True),
        ({"UE3.1": 5, "UE4.1": 5}, 105, False),
    ],
)
def test_r18_dut_needs_the_120_ects_of_but1_and_but2(year2, ects, dut):
    r = s1_to_s4({}, year2)
    assert (r.ects, r.dut_eligible, r.but_eligible) == (ects, dut, False)


def test_r18_but_needs_all_180_ects_and_prior_counts():
    p = Programme(competences=2, semesters=range(1, 7))
    prior = {f"UE{s}.{i}": "ADM" for s in (1, 2, 3, 4) for i in (1, 2)}
    p.student("s", year(5, 6), prior=prior)
    r = p.result()
    assert (r.ects, r.dut_eligible, r.but_eligible) == (180, True, True)


def test_r18_ects_count_the_final_state_of_a_ue_taken_twice():
    p = Programme(competences=4, semesters=(1, 2))
    p.student("s", year(1, 2, **failing(1, 2, 3, grade=5)), year(1, 2))
    r = p.result()
    assert (r.ects, r.years[1]) == (60, "ADM")
    assert len(r.passages) == 4
    assert r.passages[0].ues["UE1.1"].decision == "AJ"
    assert r.passages[2].ues["UE1.1"].decision == "ADM"
