"""The per-student explanation, in French for the jury: grouped by year under headings (the latest first), then
by semester; each line a plain sentence with its rule id as a tag, figures as the jury reads them (decimal
comma), the exact value where a rounding decides, nothing restating a code; built only when asked for."""
import re
from collections import Counter

import pytest
from engine_builders import P, Programme, avg, codes, year

from grading.engine import compute
from grading.engine.codes import BonusMode
from grading.engine.types import Passage

TAG = re.compile(r" — R\d{1,2}(, R\d{1,2})*$")


def sentences(lines: list[str]) -> list[str]:
    """Return the sentences of an explanation, without its headings."""
    return [line for line in lines if TAG.search(line)]


def test_explain_lists_every_decision_of_a_simple_year_under_its_headings():
    p = Programme(competences=1, semesters=(1, 2))
    p.student("s", P(1, {"UE1.1": "11.1"}), P(2, {"UE2.1": "9.4"}))
    assert p.result().explain == [
        "BUT1",
        "S1",
        "UE1.1 : 11,10 ≥ 10 → ADM, provisoire jusqu'au jury d'année — R13",
        "Décision d'année",
        "RCUE C1-1 validé : 10,25 ≥ 10 (UE1.1 11,10, UE2.1 9,40) → ADM — R9",
        "UE2.1 compensée : 9,40 < 10 mais RCUE C1-1 10,25 ≥ 10 → CMP — R9",
        "BUT1 validé : le RCUE de l'année est validé → ADM — R16",
        "Bilan",
        "60 ECTS acquis ; DUT pas encore, BUT pas encore — R18",
    ]


def test_explain_a_repeater_reads_this_year_first_under_headings_and_nothing_restates_a_code():
    """A BUT1 failed (RED), repeated (ADM): this year's heading first, last year's computation after it."""
    p = Programme(competences=4, semesters=(1, 2))
    p.students.clear()
    bad = {"UE1.1": 5, "UE2.1": 5, "UE1.2": 6, "UE2.2": 6}
    failed = [Passage(run="S1", semester=1, label="2025-2026"), Passage(run="S2", semester=2, label="2025-2026")]
    again = [Passage(run="S1r2", semester=1, label="2026-2027"), Passage(run="S2r2", semester=2, label="2026-2027",
                                                                       jury={"year": "ADM"})]
    p.student("s", year(1, 2, **bad), year(1, 2, default=13))
    cohort = p.cohort()
    student = cohort.students[0]
    student = type(student)(id=student.id, passages=tuple(
        type(passage)(run=passage.run, semester=passage.semester, label=labelled.label, jury=labelled.jury)
        for passage, labelled in zip(student.passages, failed + again, strict=True)))
    r = compute(type(cohort)(ues=cohort.ues, modules=cohort.modules, runs=cohort.runs, students=(student,))
                ).students["s"]
    assert (r.years, r.year_proposals) == ({1: "ADM"}, {1: "ADM"})
    lines = r.explain
    headings = [line for line in lines if line.startswith("BUT") and not TAG.search(line)]
    assert headings == ["BUT1 — 2026-2027 (redoublement)", "BUT1 — 2025-2026"]
    this_year = lines[:lines.index("BUT1 — 2025-2026")]
    last_year = lines[lines.index("BUT1 — 2025-2026"):]
    assert "BUT1 validé : les 4 RCUE de l'année sont validés → ADM — R16" in this_year
    assert any(line.endswith("→ RED — R14, R17") for line in last_year)
    assert not any("RED" in line for line in this_year)
    # the jury's ADM equals the proposal: no line says it again; nothing says a code « prime sur » itself
    assert not any(line.startswith("Jury") for line in lines)
    assert not any(re.search(r"\b(\w+) prime sur \1\b", line) for line in lines)
    assert len(sentences(this_year)) == len(set(sentences(this_year)))
    # the repeat's capitalised UEs say the better average once each
    assert sum("déjà acquise" in line for line in this_year) == 4
    assert not any("R15" in line for line in lines)  # a BUT1-only path says nothing of R15


def test_explain_shows_the_exact_value_where_the_rounding_decides():
    """rules.md R8: UEs shown 10,00 and 9,99 give an RCUE shown 9,99, exactly 9,9925."""
    p = Programme(competences=1, semesters=(1, 2), default_modules=False)
    p.add_module("A", 1, {"UE1.1": 1}, []).add_module("B", 2, {"UE2.1": 1}, [])
    from engine_builders import ev
    p.evaluations[1].extend([ev("a1", "A", coef=1), ev("a2", "A", coef=3)])
    p.evaluations[2].extend([ev("b1", "B", coef=1), ev("b2", "B", coef=3)])
    # UE1.1 = (10 + 3·10.0001)/4 is not allowed (two decimals): 9.995 = (9.98 + 3·10)/4, 9.99 = (9.96 + 3·10)/4
    p.student("s", P(1, {"a1": "9.98", "a2": "10"}), P(2, {"b1": "9.96", "b2": "10"}))
    r = p.result()
    assert (avg(r.ues["UE1.1"]), avg(r.ues["UE2.1"]), avg(r.rcues["C1-1"])) == ("10.00", "9.99", "9.99")
    assert "RCUE C1-1 non validé : 9,99 (exactement 9,9925) < 10 (UE1.1 10,00, UE2.1 9,99) → AJ — R9" in r.explain
    assert "UE1.1 : 10,00 (exactement 9,995) ≥ 10 → ADM, provisoire jusqu'au jury d'année — R13" in r.explain


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
    assert r.explain[:5] == ["BUT2", "S3",
                             "UE3.1 : 11,10 ≥ 10 → ADM, provisoire jusqu'au jury d'année — R13",
                             "UE3.2 : 8,00 < 10 → AJ, provisoire jusqu'au jury d'année — R13",
                             "Jury : UE3.2 ADJ, au lieu de AJ — R16"]
    assert "UE4.1 compensée : 9,40 < 10 mais RCUE C1-2 10,25 ≥ 10 → CMP — R9" in r.explain
    assert "Jury : C1-2 ADJ, au lieu de ADM — R16" in r.explain
    assert "Jury : décision d'année PAS1NCI, au lieu de la proposition RED — R16" in r.explain


def test_explain_an_att_in_the_even_semester_blocks_its_ues_and_the_year():
    p = Programme(competences=2, semesters=(1, 2))
    p.student("s", P(1, {"UE1.1": 9}, default=12), P(2, {"UE2.2": "ATT"}, default=12))
    r = p.result()
    assert codes(r, "UE1.1", "UE1.2", "UE2.1", "UE2.2", "C1-1", "C2-1") == ["ATT", "ADM", "ATT", "ATT", "ATT", "ATT"]
    assert avg(r.rcues["C1-1"]) == "10.50"
    assert r.years == {1: "ATT"}
    assert "UE1.1 : 9,00 < 10, RCUE C1-1 en attente → ATT — R1" in r.explain
    assert "Pas de proposition : RCUE C1-1, C2-1 en attente → ATT — R16" in r.explain


def test_explain_repeats_capitalisation_and_adsup():
    p = Programme(competences=1, semesters=(1, 2, 3, 4))
    p.student("s", year(1, 2, **{"UE1.1": 12, "UE2.1": 5}),
              P(1, {"UE1.1": 9}), P(2, {"UE2.1": 6}, jury={"year": "PAS1NCI"}), year(3, 4))
    r = p.result()
    assert "S1 redoublé (1 semestre redoublé jusqu'ici) — R17" in r.explain
    assert ("UE1.1 déjà acquise (ADM) : sa moyenne 12,00 est conservée (cette fois 9,00) — R11"
            in r.explain)
    assert "Pas de passage en BUT2 : 0 RCUE validé sur 1 (il en faut plus de la moitié), RCUE C1-1 8,50 ≥ 8 ; " \
        "redoublement possible → RED — R14, R17" not in r.explain  # 8,50: the floor holds, only the count fails
    assert any(line.endswith("redoublement possible → RED — R14, R17") for line in r.explain)
    assert "UE2.1 validé par le niveau supérieur (RCUE C1-2 validé) : AJ → ADSUP — R10" in r.explain
    assert "RCUE C1-1 validé par le niveau supérieur (RCUE C1-2 validé) : AJ → ADSUP — R10" in r.explain
    assert (r.year_proposals, r.years) == ({1: "NAR", 2: "ADM"}, {1: "PAS1NCI", 2: "ADM"})
    assert r.ects == 120 and r.dut_eligible


def test_explain_a_jury_subject_that_is_neither_ue_nor_rcue_is_ignored():
    p = Programme(competences=1, semesters=(1, 2))
    p.student("s", P(1, {"UE1.1": 8}), P(2, {"UE2.1": 8}, jury={"C9-1": "ADJ"}))
    r = p.result()
    assert "C9-1" not in r.rcues
    assert "Jury : C9-1 ADJ ignoré, ni une UE ni un RCUE du parcours — R16" in r.explain


@pytest.mark.parametrize(
    "grade,bonus,mode,line",
    [
        ("9.80", "2.5", BonusMode.PERCENT, "UE1.1 : 9,80 + bonus de 2,5 % = 10,05 — R5"),
        ("19.80", "5", BonusMode.PERCENT, "UE1.1 : 19,80 + bonus de 5 % = 20,00 (plafonnée à 20) — R5"),
        ("9.50", "0.5", BonusMode.POINTS, "UE1.1 : 9,50 + bonus de 0,5 point = 10,00 — R5"),
        ("9.50", "2", BonusMode.POINTS, "UE1.1 : 9,50 + bonus de 2 points = 11,50 — R5"),
    ],
)
def test_explain_r5_the_bonus_and_its_cap(grade, bonus, mode, line):
    p = Programme(competences=1, semesters=(1,), bonus_mode=mode)
    p.student("s", P(1, {"UE1.1": grade}, bonus=bonus))
    assert sentences(p.result().explain)[0] == line


def test_explain_r3_a_rattrapage_and_r4_a_ue_without_average():
    p = Programme(competences=2, semesters=(1,))
    p.add_module("R1.01", 1, {"UE1.1": 1}, [])
    p.students.clear()
    p.student("s", P(1, {"UE1.1": 7, "UE1.2": "EXC"}))
    lines = p.result().explain
    assert "R1.01 ne compte pas vers UE1.1 : aucune de ses évaluations n'y compte — R3" in lines
    assert "UE1.2 : aucun module n'a de moyenne, pas de code — R4" in lines


def every_line_of_a_busy_cohort() -> list[str]:
    p = Programme(competences=2, semesters=(1, 2, 3, 4))
    p.student("a", year(1, 2, **{"UE1.1": 9, "UE2.1": "11.5"}), year(3, 4, **{"UE3.2": 7, "UE4.2": "ATT"}))
    p.student("b", year(1, 2, **{"UE1.1": 5, "UE2.1": 5}), P(1, {"UE1.1": 9}), P(2, {"UE2.1": 6}),
              prior={"UE9.9": "ADM"})
    return [line for r in p.compute().students.values() for line in r.explain]


def test_explain_every_line_starts_with_its_rule_id_and_writes_figures_with_a_decimal_comma():
    lines = every_line_of_a_busy_cohort()
    assert len(lines) > 30
    assert all(TAG.search(line) or re.fullmatch(r"(BUT\d.*|S\d|Décision d'année|Bilan|Avant ce parcours)", line)
               for line in lines)
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
    lines = sentences(results["b"].explain)
    assert len(results["b"].reasons) >= len(lines) > 10
    assert len(calls) >= len(lines)  # a wording may call another
    assert sentences(results["b"].explain) == lines  # read twice, same lines


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
    assert {sid: Counter(sentences(r.explain)) for sid, r in results.items()} == {
        sid: Counter(line for line in lines if line is not None) for sid, lines in on_the_spot.items()}
    assert sum(map(len, on_the_spot.values())) > 25
