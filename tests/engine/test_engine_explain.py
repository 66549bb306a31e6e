"""The per-student explanation, in French for the jury: rule id first, figures as the jury reads them (decimal
comma), in order; built only when asked for."""
import re

import pytest
from engine_builders import P, Programme, avg, codes, year

from grading.engine import compute
from grading.engine.codes import BonusMode


def test_explain_lists_every_decision_in_order_for_a_simple_year():
    p = Programme(competences=1, semesters=(1, 2))
    p.student("s", P(1, {"UE1.1": "11.1"}), P(2, {"UE2.1": "9.4"}))
    assert p.result().explain == [
        "R13 — UE1.1 : 11,10 ≥ 10 → ADM (provisoire)",
        "R8 — RCUE C1-1 : moyenne de UE1.1 11,10 et UE2.1 9,40 → 10,25",
        "R9 — RCUE C1-1 : 10,25 ≥ 10 → ADM",
        "R7 — UE1.1 : 11,10 ≥ 10 → ADM",
        "R9 — UE2.1 : 9,40 < 10 mais RCUE C1-1 : 10,25 ≥ 10 → CMP",
        "R14 — année 1 : 1/1 RCUE validés (plus de la moitié), tous les RCUE ≥ 8 → accès en S3",
        "R16 — année 1 : tous les RCUE validés → ADM",
        "R15 — toutes les UE de S1 et S2 validées → accès en S5",
        "R18 — 60 ECTS acquis ; DUT : pas encore, BUT : pas encore",
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
    assert r.explain[:3] == ["R13 — UE3.1 : 11,10 ≥ 10 → ADM (provisoire)",
                             "R13 — UE3.2 : 8,00 < 10 → AJ (provisoire)",
                             "R16 — jury UE3.2 : ADJ prime sur AJ"]
    assert "R9 — UE4.1 : 9,40 < 10 mais RCUE C1-2 : 10,25 ≥ 10 → CMP" in r.explain
    assert "R16 — jury C1-2 : ADJ prime sur ADM" in r.explain
    assert "R16 — jury année : PAS1NCI prime sur RED" in r.explain


def test_explain_an_att_in_the_even_semester_blocks_its_ues_and_the_year():
    p = Programme(competences=2, semesters=(1, 2))
    p.student("s", P(1, {"UE1.1": 9}, default=12), P(2, {"UE2.2": "ATT"}, default=12))
    r = p.result()
    assert codes(r, "UE1.1", "UE1.2", "UE2.1", "UE2.2", "C1-1", "C2-1") == ["ATT", "ADM", "ATT", "ATT", "ATT", "ATT"]
    assert avg(r.rcues["C1-1"]) == "10.50"
    assert r.years == {1: "ATT"}
    assert "R1 — UE1.1 : 9,00 < 10 et RCUE C1-1 ATT → ATT" in r.explain
    assert "R16 — année 1 : RCUE C1-1, C2-1 en attente → ATT" in r.explain


def test_explain_repeats_capitalisation_and_adsup():
    p = Programme(competences=1, semesters=(1, 2, 3, 4))
    p.student("s", year(1, 2, **{"UE1.1": 12, "UE2.1": 5}),
              P(1, {"UE1.1": 9}), P(2, {"UE2.1": 6}, jury={"year": "PAS1NCI"}), year(3, 4))
    r = p.result()
    assert "R17 — S1 redoublé (semestres redoublés jusqu'ici : 1)" in r.explain
    assert "R11 — UE1.1 capitalisée ADM conservée ; moyenne : meilleure de 12,00 et 9,00 → 12,00" in r.explain
    assert "R16 — année 1 : RCUE pas tous validés, R14 non satisfaite ; R17 : redoublement possible → RED" \
        in r.explain
    assert "R10 — RCUE C1-2 validé → UE2.1 ADSUP (était AJ)" in r.explain
    assert "R10 — RCUE C1-2 validé → RCUE C1-1 ADSUP (était AJ)" in r.explain
    assert (r.year_proposals, r.years) == ({1: "NAR", 2: "ADM"}, {1: "PAS1NCI", 2: "ADM"})
    assert r.ects == 120 and r.dut_eligible


def test_explain_a_jury_subject_that_is_neither_ue_nor_rcue_is_ignored():
    p = Programme(competences=1, semesters=(1,))
    p.student("s", P(1, {"UE1.1": 8}, jury={"C9-1": "ADJ"}))
    r = p.result()
    assert (r.ues["UE1.1"].decision, r.rcues) == ("AJ", {})
    assert "R16 — jury C9-1 ADJ : ni une UE ni un RCUE du parcours, ignoré" in r.explain


@pytest.mark.parametrize(
    "grade,bonus,mode,line",
    [
        ("9.80", "2.5", BonusMode.PERCENT, "R5 — UE1.1 : 9,80 + bonus 2,5 % → 10,05"),
        ("19.80", "5", BonusMode.PERCENT, "R5 — UE1.1 : 19,80 + bonus 5 % → 20,00 (plafonnée à 20)"),
        ("9.50", "0.5", BonusMode.POINTS, "R5 — UE1.1 : 9,50 + bonus 0,5 point → 10,00"),
        ("9.50", "2", BonusMode.POINTS, "R5 — UE1.1 : 9,50 + bonus 2 points → 11,50"),
    ],
)
def test_explain_r5_the_bonus_and_its_cap(grade, bonus, mode, line):
    p = Programme(competences=1, semesters=(1,), bonus_mode=mode)
    p.student("s", P(1, {"UE1.1": grade}, bonus=bonus))
    assert p.result().explain[0] == line


def test_explain_r3_a_rattrapage_and_r4_a_ue_without_average():
    p = Programme(competences=2, semesters=(1,))
    p.add_module("R1.01", 1, {"UE1.1": 1}, [])
    p.students.clear()
    p.student("s", P(1, {"UE1.1": 7, "UE1.2": "EXC"}))
    lines = p.result().explain
    assert "R3 — R1.01 : aucune évaluation ne compte vers UE1.1, module écarté" in lines
    assert "R4 — UE1.2 : pas de moyenne (aucun module n'en a), pas de code" in lines


def every_line_of_a_busy_cohort() -> list[str]:
    p = Programme(competences=2, semesters=(1, 2, 3, 4))
    p.student("a", year(1, 2, **{"UE1.1": 9, "UE2.1": "11.5"}), year(3, 4, **{"UE3.2": 7, "UE4.2": "ATT"}))
    p.student("b", year(1, 2, **{"UE1.1": 5, "UE2.1": 5}), P(1, {"UE1.1": 9}), P(2, {"UE2.1": 6}),
              prior={"UE9.9": "ADM"})
    return [line for r in p.compute().students.values() for line in r.explain]


def test_explain_every_line_starts_with_its_rule_id_and_writes_figures_with_a_decimal_comma():
    lines = every_line_of_a_busy_cohort()
    assert len(lines) > 30
    assert all(re.match(r"R\d{1,2} — ", line) for line in lines)
    assert any(re.search(r"\b\d+,\d\d\b", line) for line in lines)
    assert not any(re.search(r"\b\d+\.\d\d\b", line) for line in lines)  # 9,40, never 9.40
    assert not any(word in line for line in lines for word in ("->", ">=", "prevails", "average", "year "))


def test_explain_false_builds_no_line_and_changes_no_result():
    p = Programme(competences=2, semesters=(1, 2))
    p.student("s", P(1, {"UE1.1": "9.4"}, default=12, bonus="2.5"), P(2, {"UE2.2": "ABS"}, default=11))
    cohort = p.cohort()
    told, silent = compute(cohort).students["s"], compute(cohort, explain=False).students["s"]
    assert told.explain and silent.explain == []
    assert {c: (u.average, u.decision) for c, u in silent.ues.items()} == \
        {c: (u.average, u.decision) for c, u in told.ues.items()}
    assert {k: (r.average, r.decision) for k, r in silent.rcues.items()} == \
        {k: (r.average, r.decision) for k, r in told.rcues.items()}
    assert (silent.years, silent.ects) == (told.years, told.ects)


def test_explain_false_never_calls_the_wording(monkeypatch):
    from grading.engine import explain

    def refuse(*args):
        raise AssertionError("an explanation line was built")

    for name in dir(explain):
        if name.startswith("r") and name[1].isdigit():
            monkeypatch.setattr(explain, name, refuse)
    p = Programme(competences=2, semesters=(1, 2))
    p.student("s", year(1, 2, **{"UE1.1": 9}), prior={"UE9.9": "ADM"})
    assert compute(p.cohort(), explain=False).students["s"].years == {1: "ADM"}


def busy_programme() -> Programme:
    """Every kind of line: ATT, repeats, capitalisation, R10, a jury, an unknown prior validation, a bonus."""
    p = Programme(competences=2, semesters=(1, 2, 3, 4))
    p.student("a", year(1, 2, **{"UE1.1": 9, "UE2.1": "11.5"}), year(3, 4, **{"UE3.2": 7, "UE4.2": "ATT"}))
    p.student("b", year(1, 2, **{"UE1.1": 5, "UE2.1": 5}), P(1, {"UE1.1": 9}, bonus="2.5"),
              P(2, {"UE2.1": 6}, jury={"C1-1": "ADJ", "year": "PAS1NCI"}), year(3, 4), prior={"UE9.9": "ADM"})
    return p


def test_explain_lines_are_written_when_read_and_only_then(monkeypatch):
    """The walk notes (function, facts); the French wording runs when `explain` is read, never during compute."""
    from grading.engine import explain

    calls = []
    for name in dir(explain):
        if name.startswith("r") and name[1].isdigit():
            wording = getattr(explain, name)
            monkeypatch.setattr(explain, name, lambda *facts, _w=wording: calls.append(1) or _w(*facts))
    results = compute(busy_programme().cohort()).students
    assert calls == []
    lines = results["b"].explain
    assert len(lines) == len(results["b"].reasons) > 10
    assert len(calls) >= len(lines)  # a wording may call another
    assert results["b"].explain == lines  # read twice, same lines


def test_explain_lines_written_late_say_what_they_said_when_noted(monkeypatch):
    """Facts are results the walk no longer changes: lines written at the end equal lines written on the spot."""
    from grading.engine.compute import StudentWalk

    on_the_spot: dict = {}
    noted = StudentWalk.say

    def say_now(walk, line_of, *facts):
        on_the_spot.setdefault(walk.student.id, []).append(line_of(*facts))
        noted(walk, line_of, *facts)

    monkeypatch.setattr(StudentWalk, "say", say_now)
    results = compute(busy_programme().cohort()).students
    assert {sid: r.explain for sid, r in results.items()} == on_the_spot
    assert sum(map(len, on_the_spot.values())) > 25
