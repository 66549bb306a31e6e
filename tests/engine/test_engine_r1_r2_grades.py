"""R1 grade values and R2 complete evaluations."""
from decimal import Decimal

import pytest
from engine_builders import P, Programme, avg, ev

from grading.engine import compute
from grading.engine.types import (
    CohortInput,
    EvaluationDef,
    GradeValue,
    ModuleDef,
    Passage,
    SemesterRun,
    StudentInput,
    UEDef,
)


def one_module(*evaluations):
    """Return a one-UE programme (S1) whose module R1.01 holds the given evaluations."""
    p = Programme(competences=1, semesters=(1,), default_modules=False)
    p.add_module("R1.01", 1, {"UE1.1": 1}, list(evaluations))
    return p


@pytest.mark.parametrize(
    "cell,expected",
    [
        (8, "10.00"),  # a number counts
        ("ABS", "6.00"),  # unjustified absence counts 0
        ("abs", "6.00"),  # codes are case-insensitive
        ("EXC", "12.00"),  # excused: left out
        ("ATT", "12.00"),  # pending: left out too
        (None, "12.00"),  # not entered: the evaluation is incomplete and counts for nobody (R2)
    ],
)
def test_r1_abs_exc_att_and_not_entered(cell, expected):
    p = one_module(ev("a", "R1.01"), ev("b", "R1.01"))
    p.student("s", P(1, {"a": 12, "b": cell}))
    assert avg(p.result().ues["UE1.1"]) == expected


@pytest.mark.parametrize("value,maximum,expected", [(15, 20, "15.00"), (30, 40, "15.00"), (7, 10, "14.00"),
                                                     (0, 40, "0.00"), (40, 40, "20.00")])
def test_r1_grades_are_normalised_to_20(value, maximum, expected):
    p = one_module(ev("a", "R1.01", max=maximum))
    p.student("s", P(1, {"a": value}))
    assert avg(p.result().ues["UE1.1"]) == expected


def test_r1_att_blocks_the_semester_ue_codes_but_keeps_averages():
    p = Programme(competences=2, semesters=(1,))
    p.student("s", P(1, {"UE1.1": 14, "UE1.2": "ATT"}))
    ue = p.result().ues
    assert [(avg(ue[c]), ue[c].decision) for c in ("UE1.1", "UE1.2")] == [("14.00", "ATT"), (None, "ATT")]


def test_r1_att_in_the_odd_semester_blocks_the_rcues_and_the_year():
    p = Programme(competences=2, semesters=(1, 2))
    p.student("s", P(1, {"UE1.1": "ATT"}, default=12), P(2, {"UE2.1": 9}, default=12))
    r = p.result()
    assert [r.rcues[k].decision for k in ("C1-1", "C2-1")] == ["ATT", "ATT"]
    assert (r.year_proposals[1], r.years[1], r.may_enter_odd[1]) == ("ATT", "ATT", None)
    # The blocked semester's UEs stay ATT; in the other semester a UE >= 10 is acquired (R7), one below waits.
    assert [r.ues[c].decision for c in ("UE1.1", "UE1.2", "UE2.1", "UE2.2")] == ["ATT", "ATT", "ATT", "ADM"]
    assert avg(r.ues["UE1.2"]) == "12.00"
    assert "Une note ATT en S1 : les UE du semestre, les RCUE et la décision d'année attendent — R1" in r.explain


def test_r1_att_leaves_a_capitalised_ue_its_code():
    p = Programme(competences=2, semesters=(1, 2))
    p.student("s", P(1, {"UE1.1": 9, "UE1.2": "ATT"}), prior={"UE1.1": ("ADM", 13)})
    ue = p.result().ues
    assert (ue["UE1.1"].decision, avg(ue["UE1.1"]), ue["UE1.2"].decision) == ("ADM", "13.00", "ATT")


def test_r1_att_in_a_module_not_taken_does_not_block():
    p = Programme(competences=1, semesters=(1,))
    p.add_ue("UE1.9", 1, "C9", 1, parcours={"MPI"})
    p.student("s", P(1, {"UE1.1": 12, "UE1.9": "ATT"}), parcours="IME")
    assert p.result().ues["UE1.1"].decision == "ADM"


def two_students(b, *, immediate=False, rattrapage=False):
    """Return a programme where s1 and s2 sit `a`; `b` gives each one's cell on the second evaluation."""
    p = one_module(ev("a", "R1.01"), ev("b", "R1.01", immediate=immediate, rattrapage=rattrapage))
    p.student("s1", P(1, {"a": 10, "b": b[0]}))
    p.student("s2", P(1, {"a": 10, "b": b[1]}))
    return p


@pytest.mark.parametrize(
    "b,immediate,expected,incomplete",
    [
        ((16, 14), False, ("13.00", "12.00"), ()),  # complete: counts for everybody
        ((16, "EXC"), False, ("13.00", "10.00"), ()),  # a code completes it too
        ((16, "ABS"), False, ("13.00", "5.00"), ()),
        ((16, None), False, ("10.00", "10.00"), ("b",)),  # one grade missing: counts for nobody
        ((16, None), True, ("13.00", "10.00"), ()),  # immediate: counts for those who have one
        ((None, None), False, ("10.00", "10.00"), ("b",)),
    ],
)
def test_r2_incomplete_vs_immediate_evaluations(b, immediate, expected, incomplete):
    result = two_students(b, immediate=immediate).compute()
    assert tuple(avg(result.students[s].ues["UE1.1"]) for s in ("s1", "s2")) == expected
    assert result.incomplete_evaluations["S1"] == incomplete


def test_r2_rattrapage_counts_for_those_who_sat_it_and_is_never_listed_incomplete():
    result = two_students((14, None), rattrapage=True).compute()
    assert (avg(result.students["s1"].ues["UE1.1"]), avg(result.students["s2"].ues["UE1.1"])) == ("14.00", "10.00")
    assert result.incomplete_evaluations["S1"] == ()


def test_r2_incomplete_evaluations_are_listed_in_evaluation_order():
    p = one_module(ev("z", "R1.01"), ev("a", "R1.01"), ev("m", "R1.01", immediate=True))
    p.student("s1", P(1, {"z": 1, "a": 2, "m": 3}))
    p.student("s2", P(1, {}))
    assert p.compute().incomplete_evaluations == {"S1": ("z", "a")}


def test_r2_students_not_taking_the_module_do_not_hold_an_evaluation_back():
    p = Programme(competences=1, semesters=(1,))
    p.add_ue("UE1.9", 1, "C9", 1, parcours={"MPI"})
    p.student("mpi", P(1, {"UE1.1": 12, "UE1.9": 15}), parcours="MPI")
    p.student("ime", P(1, {"UE1.1": 11}), parcours="IME")
    result = p.compute()
    assert result.incomplete_evaluations["S1"] == ()
    assert avg(result.students["mpi"].ues["UE1.9"]) == "15.00"
    assert "UE1.9" not in result.students["ime"].ues


def test_r2_repeats_form_their_own_run():
    p = Programme(competences=1, semesters=(1,))
    p.student("first", P(1, {"UE1.1": 12}))
    p.student("repeat", P(1, {"UE1.1": 5}), P(1, {}))  # nothing entered in the repeat run
    result = p.compute()
    assert result.incomplete_evaluations == {"S1": (), "S1r2": ("UE1.1",)}
    assert avg(result.students["first"].ues["UE1.1"]) == "12.00"


def test_r2_classmates_outside_the_cohort_are_asked_only_for_the_modules_of_their_parcours():
    """An earlier run's classmates are not in the cohort: their parcours still tells which modules they take."""
    ues = {"UE3.5": UEDef(code="UE3.5", semester=3, competence="MPI", level=1, ects=Decimal(6),
                          parcours=frozenset({"MPI"}))}
    modules = {"R3.17MPI": ModuleDef(code="R3.17MPI", semester=3, kind="resource",
                                     coefficients={"UE3.5": Decimal(1)})}
    evaluation = EvaluationDef(id="e", module="R3.17MPI")

    def average(enrolled_parcours):
        run = SemesterRun(key="S3", semester=3, evaluations=(evaluation,),
                          grades={"me": {"e": GradeValue(value=Decimal("12"))}},
                          enrolled=frozenset({"me", "classmate"}), enrolled_parcours=enrolled_parcours)
        me = StudentInput(id="me", parcours="MPI", passages=(Passage(run="S3", semester=3),))
        result = compute(CohortInput(ues=ues, modules=modules, runs={"S3": run}, students=(me,)))
        return result.students["me"].ues["UE3.5"].average, result.incomplete_evaluations["S3"]

    # The classmate follows IPI: the MPI module is not theirs, the evaluation is complete.
    assert average({"me": "MPI", "classmate": "IPI"}) == (Decimal("12"), ())
    # An MPI classmate without a grade makes it incomplete: it counts for nobody (R2).
    assert average({"me": "MPI", "classmate": "MPI"}) == (None, ("e",))
