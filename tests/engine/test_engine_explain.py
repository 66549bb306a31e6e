"""The per-student explanation cites rule ids and figures as the jury reads them, in order."""
from engine_builders import P, Programme, avg, codes, year


def test_explain_lists_every_decision_in_order_for_a_simple_year():
    p = Programme(competences=1, semesters=(1, 2))
    p.student("s", P(1, {"UE1.1": "11.1"}), P(2, {"UE2.1": "9.4"}))
    assert p.result().explain == [
        "R13: UE1.1 11.10 >= 10 -> ADM (provisional)",
        "R8: RCUE C1-1 (UE1.1 11.10, UE2.1 9.40) -> 10.25",
        "R9: RCUE C1-1 10.25 >= 10 -> ADM",
        "R7: UE1.1 11.10 >= 10 -> ADM",
        "R9: UE2.1 9.40 < 10, RCUE C1-1 10.25 >= 10 -> CMP",
        "R14: year 1: 1/1 RCUEs validated (> half), every RCUE >= 8 -> may enter S3",
        "R16: year 1: every RCUE validated -> ADM",
        "R15: every UE of S1 and S2 validated -> may enter S5",
        "R18: 60 ECTS acquired; DUT not eligible, BUT not eligible",
    ]


def test_explain_the_scenario_of_the_documentation():
    """scenarios.md: compensation inside an RCUE, a jury ADJ on a UE after S3, a jury year decision after S4."""
    p = Programme(competences=2, semesters=(3, 4))
    p.student("alice", P(3, {"UE3.1": "11.1", "UE3.2": 8}, bonus=None, jury={"UE3.2": "ADJ"}),
              P(4, {"UE4.1": "9.4", "UE4.2": 9}, jury={"C1-2": "ADJ", "year": "PAS1NCI"}))
    r = p.result()
    assert [(avg(r.ues[c]), r.ues[c].decision) for c in ("UE3.1", "UE3.2", "UE4.1", "UE4.2")] == [
        ("11.10", "ADM"), ("8.00", "ADJ"), ("9.40", "CMP"), ("9.00", "AJ")]
    # The jury's ADJ on a validated RCUE: its UEs are validated already (no ADJR).
    assert (avg(r.rcues["C1-2"]), r.rcues["C1-2"].decision, r.rcues["C2-2"].decision) == ("10.25", "ADJ", "AJ")
    assert (r.year_proposals[2], r.years[2], r.ects) == ("RED", "PAS1NCI", 45)
    assert r.explain[:3] == ["R13: UE3.1 11.10 >= 10 -> ADM (provisional)",
                             "R13: UE3.2 8.00 < 10 -> AJ (provisional)",
                             "R16: jury UE3.2 ADJ prevails over AJ"]
    assert "R9: UE4.1 9.40 < 10, RCUE C1-2 10.25 >= 10 -> CMP" in r.explain
    assert "R16: jury C1-2 ADJ prevails over ADM" in r.explain
    assert "R16: jury year PAS1NCI prevails over RED" in r.explain


def test_explain_an_att_in_the_even_semester_blocks_its_ues_and_the_year():
    p = Programme(competences=2, semesters=(1, 2))
    p.student("s", P(1, {"UE1.1": 9}, default=12), P(2, {"UE2.2": "ATT"}, default=12))
    r = p.result()
    assert codes(r, "UE1.1", "UE1.2", "UE2.1", "UE2.2", "C1-1", "C2-1") == ["ATT", "ADM", "ATT", "ATT", "ATT", "ATT"]
    assert avg(r.rcues["C1-1"]) == "10.50"
    assert r.years == {1: "ATT"}
    assert "R1: UE1.1 9.00 < 10, RCUE C1-1 ATT -> ATT" in r.explain
    assert "R16: year 1: RCUE C1-1, C2-1 pending -> ATT" in r.explain


def test_explain_repeats_capitalisation_and_adsup():
    p = Programme(competences=1, semesters=(1, 2, 3, 4))
    p.student("s", year(1, 2, **{"UE1.1": 12, "UE2.1": 5}),
              P(1, {"UE1.1": 9}), P(2, {"UE2.1": 6}, jury={"year": "PAS1NCI"}), year(3, 4))
    r = p.result()
    assert "R17: S1 repeated (semester repeats so far: 1)" in r.explain
    assert "R11: UE1.1 capitalised ADM kept, average: better of 12.00 and 9.00 -> 12.00" in r.explain
    assert "R10: RCUE C1-2 validated -> UE2.1 ADSUP (was AJ)" in r.explain
    assert "R10: RCUE C1-2 validated -> RCUE C1-1 ADSUP (was AJ)" in r.explain
    assert (r.year_proposals, r.years) == ({1: "NAR", 2: "ADM"}, {1: "PAS1NCI", 2: "ADM"})
    assert r.ects == 120 and r.dut_eligible


def test_explain_a_jury_subject_that_is_neither_ue_nor_rcue_is_ignored():
    p = Programme(competences=1, semesters=(1,))
    p.student("s", P(1, {"UE1.1": 8}, jury={"C9-1": "ADJ"}))
    r = p.result()
    assert (r.ues["UE1.1"].decision, r.rcues) == ("AJ", {})
    assert "R16: jury C9-1 ADJ: neither a UE nor an RCUE of the parcours, ignored" in r.explain
