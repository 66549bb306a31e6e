"""The readings of rules.md settled late: R3 (best rattrapage, parcours), R2 leaving, R11 (CMP retaken becomes
ADM), R13 (odd-semester jury), R15 unknown, R16 (a jury's decision over the status, deferred ATT)."""
import pytest
from engine_builders import P, Programme, avg, codes, ev, year


def rattrapage_programme() -> Programme:
    p = Programme(competences=1, semesters=(1,), default_modules=False)
    p.add_module("R1.01", 1, {"UE1.1": 1}, [ev("e1", "R1.01"), ev("r1", "R1.01", rattrapage=True),
                                             ev("r2", "R1.01", max=40, rattrapage=True)])
    return p


@pytest.mark.parametrize(
    "first,second,expected",
    [
        (12, 16, "12.00"),  # the best rattrapage (12), never the mean of 12 and 8
        (7, 30, "15.00"),  # 30/40 = 15 beats 7
        (5, None, "6.00"),  # the ordinary average (6) beats the only rattrapage sat (5)
        (None, None, "6.00"),
    ],
)
def test_r3_with_several_rattrapages_the_best_is_taken(first, second, expected):
    p = rattrapage_programme()
    p.student("s", P(1, {"e1": 6, "r1": first, "r2": second}))
    assert avg(p.result().ues["UE1.1"]) == expected


def test_r3_a_rattrapage_weighing_zero_towards_a_ue_is_not_the_best_there():
    p = Programme(competences=2, semesters=(1,), default_modules=False)
    p.add_module("R1.01", 1, {"UE1.1": 1, "UE1.2": 1},
                 [ev("e1", "R1.01"), ev("r1", "R1.01", rattrapage=True, weights={"UE1.2": 0}),
                  ev("r2", "R1.01", rattrapage=True)])
    p.student("s", P(1, {"e1": 6, "r1": 18, "r2": 11}))
    r = p.result()
    assert (avg(r.ues["UE1.1"]), avg(r.ues["UE1.2"])) == ("18.00", "11.00")


def test_r3_a_student_without_parcours_follows_the_common_core_only():
    p = Programme(competences=1, semesters=(1, 2))
    p.add_ue("UE1.5", 1, "C5", 1, parcours={"MPI"}).add_ue("UE2.5", 2, "C5", 1, parcours={"MPI"})
    p.student("core", year(1, 2))
    r = p.result()
    assert sorted(r.ues) == ["UE1.1", "UE2.1"] and sorted(r.rcues) == ["C1-1"]
    assert r.years == {1: "ADM"}


@pytest.mark.parametrize("status", ["DEF", "DEM", "ABAN"])
def test_r2_a_semester_left_validates_nothing_its_codes_are_the_status(status):
    p = Programme(competences=2, semesters=(1, 2, 3, 4))
    p.student("odd", year(1, 2), P(3, {"UE3.1": 15}, default=12), status=status)
    p.student("even", year(1, 2), year(3, 4, default=14), status=status)
    result = p.compute().students
    odd, even = result["odd"], result["even"]
    assert codes(odd, "UE1.1", "UE2.1", "UE3.1", "UE3.2") == ["ADM", "ADM", status, status]
    assert (avg(odd.ues["UE3.1"]), odd.ues["UE3.1"].ects, odd.ects) == ("15.00", 0, 60)  # average for information
    assert (odd.years, odd.year_proposals) == ({1: "ADM", 2: status}, {1: "ADM", 2: status})
    # left in S4: S3 was completed before leaving and keeps its provisional codes; S4 and the RCUEs are the status
    assert codes(even, "UE3.1", "UE3.2", "UE4.1", "UE4.2", "C1-2", "C2-2") == ["ADM", "ADM", status, status,
                                                                               status, status]
    assert (avg(even.rcues["C1-2"]), even.ects, even.years[2]) == ("14.00", 90, status)
    assert any(line.startswith(f"S4 quitté ({status}) : aucune UE validée, 0 ECTS") for line in even.explain)


def test_r2_a_student_who_left_in_november_validates_nothing_in_s3_nor_s4():
    """Left during S3, recorded as having left in S3 and S4 (the enrolment list's bulk action): neither semester
    validates a UE or earns ECTS, though S3 is not the last passage."""
    p = Programme(competences=2, semesters=(1, 2, 3, 4))
    p.student("s", year(1, 2), P(3, default=15, status="DEM"), P(4, status="DEM"), status="DEM")
    r = p.result()
    assert codes(r, "UE3.1", "UE3.2", "UE4.1", "UE4.2", "C1-2", "C2-2") == ["DEM"] * 6
    assert (avg(r.ues["UE3.1"]), r.ues["UE3.1"].ects, r.ects, r.years[2]) == ("15.00", 0, 60, "DEM")
    assert any(line.startswith("S3 quitté (DEM) : aucune UE validée, 0 ECTS") for line in r.explain)


def test_r2_a_ue_capitalised_before_leaving_keeps_its_code():
    p = Programme(competences=2, semesters=(1, 2))
    p.student("s", year(1, 2, **{"UE1.2": 5, "UE2.2": 5}), P(1, {"UE1.1": 8}, default=13), status="DEM")
    r = p.result()
    assert codes(r, "UE1.1", "UE1.2") == ["ADM", "DEM"]
    assert (avg(r.ues["UE1.1"]), r.years[1]) == ("12.00", "DEM")


@pytest.mark.parametrize("decision", ["ABL", "NAR", "ATT"])
def test_r16_a_jury_year_decision_prevails_over_the_status(decision):
    p = Programme(competences=2, semesters=(1, 2))
    p.student("s", P(1, default=12), P(2, default=12, jury={"year": decision}), status="DEF")
    r = p.result()
    assert (r.year_proposals[1], r.years[1]) == ("DEF", decision)
    assert codes(r, "UE2.1", "UE2.2") == ["DEF", "DEF"]
    assert r.ects == 30


def test_r16_a_deferred_att_at_an_odd_jury_holds_a_ue_without_ects():
    p = Programme(competences=1, semesters=(1, 2))
    p.student("s", P(1, {"UE1.1": 12}, jury={"UE1.1": "ATT"}))
    r = p.result()
    assert (r.ues["UE1.1"].decision, r.ues["UE1.1"].ects, r.ects) == ("ATT", 0, 0)


@pytest.mark.parametrize("capitalised", ["CMP", "ADJR"])
def test_r11_a_cmp_or_adjr_ue_retaken_at_10_or_more_becomes_adm(capitalised):
    p = Programme(competences=4, semesters=(1, 2))
    jury = {"C1-1": "ADJ"} if capitalised == "ADJR" else {}
    first = {"UE1.1": 9, "UE2.1": 12 if capitalised == "CMP" else 9, "UE1.2": 5, "UE2.2": 5, "UE1.3": 5,
             "UE2.3": 5}
    p.student("s", P(1, {k: v for k, v in first.items() if k.startswith("UE1.")}, default=12),
              P(2, {k: v for k, v in first.items() if k.startswith("UE2.")}, default=12, jury=jury),
              P(1, {"UE1.1": "12.79"}, default=12), P(2, default=12))
    r = p.result()
    assert r.passages[0].ues["UE1.1"].decision == capitalised  # after the first year
    assert (r.ues["UE1.1"].decision, avg(r.ues["UE1.1"])) == ("ADM", "12.79")
    assert any(line.startswith(f"UE1.1 acquise auparavant en {capitalised}, reprise à 12,79 ≥ 10 → ADM")
               for line in r.explain)


def test_r11_a_cmp_ue_retaken_below_10_stays_cmp_with_the_better_average():
    p = Programme(competences=4, semesters=(1, 2))
    bad = {"UE1.2": 5, "UE2.2": 5, "UE1.3": 5, "UE2.3": 5}
    p.student("s", P(1, {"UE1.1": 9, "UE1.2": 5, "UE1.3": 5}, default=12),
              P(2, {"UE2.2": 5, "UE2.3": 5}, default=12), P(1, {"UE1.1": "9.5", **{k: 12 for k in bad}}, default=12),
              P(2, default=12))
    r = p.result()
    assert (r.ues["UE1.1"].decision, avg(r.ues["UE1.1"])) == ("CMP", "9.50")


def test_r13_an_rcue_adj_at_an_odd_semester_jury_is_not_applied():
    p = Programme(competences=1, semesters=(1, 2, 3, 4))
    p.student("s", year(1, 2, **{"UE1.1": 6, "UE2.1": 6}), P(3, default=12, jury={"C1-1": "ADJ"}))
    r = p.result()
    assert codes(r, "C1-1", "UE1.1", "UE2.1") == ["AJ", "AJ", "AJ"]
