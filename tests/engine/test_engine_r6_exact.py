"""R6: averages are exact, shown rounded half-up from the exact value, and decided on what is shown.

The first two cases came out one cent low when the engine divided in 28-digit `Decimal`: 28.66 / 3 rounded
there, and (3 × 9.5533… + 11.12) / 4 gave 9.944999… (shown 9.94) instead of exactly 9.945.
"""
import math
from fractions import Fraction

from engine_builders import P, Programme, avg, codes, ev
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grading.engine.codes import BonusMode
from grading.engine.rounding import fmt, shown


def rcue_of_9_945():
    """S1–S2, one competence. UE1.1 (RCUE coefficient 3) is fed by R1.01 (coefficient 3, three grades: 31.60/3)
    and R1.02 (coefficient 1, six grades: 39.68/6): (31.60 + 39.68/6) / 4 = 28.66/3 = 9.5533…; UE2.1 is 11.12.
    The RCUE is (3 × 28.66/3 + 11.12) / 4 = 9.945 exactly."""
    p = Programme(competences=0, semesters=(), ects=5, default_modules=False)
    p.add_ue("UE1.1", 1, "C1", 1, ects=5, rcue_coef=3, default_module=False)
    p.add_ue("UE2.1", 2, "C1", 1, ects=5, rcue_coef=1)
    p.add_module("R1.01", 1, {"UE1.1": 3}, [ev(f"a{i}", "R1.01") for i in range(3)])
    p.add_module("R1.02", 1, {"UE1.1": 1}, [ev(f"b{i}", "R1.02") for i in range(6)])
    grades = {"a0": "10.54", "a1": "10.53", "a2": "10.53", "b0": "6.62", "b1": "6.62",
              **{f"b{i}": "6.61" for i in range(2, 6)}}
    p.student("s", P(1, grades), P(2, {"UE2.1": "11.12"}))
    return p.result()


def test_r6_an_rcue_of_exactly_9_945_is_shown_9_95_never_9_94():
    r = rcue_of_9_945()
    assert r.passages[0].ues["UE1.1"].module_averages == {"R1.01": Fraction(3160, 300), "R1.02": Fraction(3968, 600)}
    assert r.ues["UE1.1"].average == Fraction(2866, 300)  # 9.5533…: never rounded on the way
    assert r.rcues["C1-1"].average == Fraction(9945, 1000)  # (3 × 28.66/3 + 11.12) / 4 exactly
    assert (avg(r.ues["UE1.1"]), avg(r.ues["UE2.1"]), avg(r.rcues["C1-1"])) == ("9.55", "11.12", "9.95")


def test_r6_an_rcue_of_9_945_is_decided_on_its_shown_9_95():
    r = rcue_of_9_945()
    # 9.95 < 10: not validated, so UE1.1 (9.55) is not compensated; 9.95 ≥ 8 for R14.
    assert codes(r, "C1-1", "UE1.1", "UE2.1") == ["AJ", "AJ", "ADM"]
    assert r.may_enter_odd[1] is False and r.years[1] == "RED"


def ue_of_9_995():
    """S1: UE1.1 fed by R1.01 (coefficient 2, three grades: 30.01/3) and R1.02 (coefficient 1, six grades:
    59.87/6): (2 × 30.01/3 + 59.87/6) / 3 = 179.91/18 = 9.995 exactly."""
    p = Programme(competences=0, semesters=(), ects=5, default_modules=False)
    p.add_ue("UE1.1", 1, "C1", 1, ects=5, default_module=False)
    p.add_module("R1.01", 1, {"UE1.1": 2}, [ev(f"a{i}", "R1.01") for i in range(3)])
    p.add_module("R1.02", 1, {"UE1.1": 1}, [ev(f"b{i}", "R1.02") for i in range(6)])
    grades = {"a0": "10", "a1": "10", "a2": "10.01", **{f"b{i}": "9.98" for i in range(5)}, "b5": "9.97"}
    p.student("s", P(1, grades))
    return p.result()


def test_r6_a_ue_of_exactly_9_995_from_non_terminating_module_averages_is_shown_10_00_and_adm():
    r = ue_of_9_995()
    ue = r.ues["UE1.1"]
    assert ue.module_averages == {"R1.01": Fraction(3001, 300), "R1.02": Fraction(5987, 600)}  # 10.0033…, 9.9783…
    assert ue.average == Fraction(9995, 1000)
    assert (avg(ue), ue.decision) == ("10.00", "ADM")


# ------------------------------------------------------------------ property: the engine equals Fractions


def cents(x: Fraction) -> str:
    """Return a non-negative exact value rounded half-up to the cent, as "12.50" (written apart from rounding.py)."""
    c = math.floor(x * 100 + Fraction(1, 2))
    return f"{c // 100}.{c % 100:02d}"


def grades_up_to(maximum: str):
    """Strategy: two-decimal grade strings from 0 to the maximum."""
    return st.integers(0, int(Fraction(maximum) * 100)).map(lambda c: f"{c // 100}.{c % 100:02d}")


@st.composite
def cohorts(draw):
    """A small S1–S2 programme with random coefficients, weights and maxima, and students with random grades."""
    competences = draw(st.integers(1, 3))
    rcue_coefs = {(s, i): draw(st.sampled_from(["1", "1", "2", "3", "0.5"]))
                  for s in (1, 2) for i in range(1, competences + 1)}
    modules = []
    for s in (1, 2):
        for m in range(draw(st.integers(1, 3))):
            code = f"M{s}.{m}"
            coefficients = {f"UE{s}.{i}": draw(st.sampled_from(["0", "0.5", "1", "1", "2", "4.5"]))
                            for i in range(1, competences + 1)}
            evaluations = []
            for e in range(draw(st.integers(1, 3))):
                weights = {u: draw(st.sampled_from(["0", "0.5", "1", "2", "3"])) for u in coefficients
                           if draw(st.booleans())}
                evaluations.append(dict(id=f"{code}.{e}", coef=draw(st.sampled_from(["0.5", "1", "1.5", "2", "3"])),
                                        max=draw(st.sampled_from(["20", "20", "10", "40", "7.5"])), weights=weights,
                                        rattrapage=False))
            if draw(st.booleans()):
                evaluations.append(dict(id=f"{code}.r", coef="1", max="20", weights={}, rattrapage=True))
            modules.append((code, s, coefficients, evaluations))
    mode = draw(st.sampled_from([BonusMode.PERCENT, BonusMode.POINTS]))
    students = []
    for _ in range(draw(st.integers(1, 3))):
        path = []
        for s in (1, 2):
            grades = {}
            for _code, semester, _coefs, evaluations in modules:
                if semester != s:
                    continue
                for e in evaluations:
                    choice = draw(st.sampled_from(["n", "n", "n", "n", "ABS", "EXC"] if not e["rattrapage"]
                                                  else ["n", None]))
                    grades[e["id"]] = draw(grades_up_to(e["max"])) if choice == "n" else choice
            path.append((s, grades, draw(st.sampled_from([None, "0.25", "1", "2.5", "5"]))))
        students.append(path)
    return competences, rcue_coefs, modules, mode, students


def build(competences, rcue_coefs, modules, mode, students) -> Programme:
    p = Programme(competences=0, semesters=(), ects=5, default_modules=False, bonus_mode=mode)
    for s in (1, 2):
        for i in range(1, competences + 1):
            p.add_ue(f"UE{s}.{i}", s, f"C{i}", 1, ects=5, rcue_coef=rcue_coefs[(s, i)], default_module=False)
    for code, s, coefficients, evaluations in modules:
        p.add_module(code, s, coefficients, [ev(e["id"], code, coef=e["coef"], max=e["max"], weights=e["weights"],
                                                 rattrapage=e["rattrapage"]) for e in evaluations])
    for n, path in enumerate(students):
        p.student(f"s{n}", *[P(s, grades, bonus=bonus) for s, grades, bonus in path])
    return p


def by_hand(competences, rcue_coefs, modules, mode, path):
    """Return the shown module, UE (before and after bonus) and RCUE averages of one student, in Fractions."""
    shown_values, ue_averages = {}, {}
    for s, grades, bonus in path:
        for i in range(1, competences + 1):
            ue = f"UE{s}.{i}"
            terms = []
            for code, semester, coefficients, evaluations in modules:
                k = Fraction(coefficients[ue]) if semester == s else 0
                if k <= 0:
                    continue
                averages = []
                for rattrapage in (False, True):
                    num = den = Fraction(0)
                    for e in evaluations:
                        cell = grades[e["id"]]
                        if e["rattrapage"] != rattrapage or cell in (None, "EXC") or (rattrapage and cell == "ABS"):
                            continue
                        w = Fraction(e["coef"]) * Fraction(e["weights"].get(ue, "1"))
                        if w > 0:
                            score = 0 if cell == "ABS" else Fraction(cell) * 20 / Fraction(e["max"])
                            num, den = num + score * w, den + w
                    averages.append(num / den if den else None)
                average, retake = averages
                if retake is not None and (average is None or retake > average):
                    average = retake
                if average is not None:
                    shown_values[(ue, code)] = cents(average)
                    terms.append((k, average))
            if not terms:
                ue_averages[ue] = None
                continue
            before = sum(k * a for k, a in terms) / sum(k for k, _ in terms)
            after = before
            if bonus is not None:
                p = Fraction(bonus)
                after = min(Fraction(20), before + p if mode == BonusMode.POINTS else before * (1 + p / 100))
            ue_averages[ue] = after
            shown_values[(ue, "before")], shown_values[(ue, "after")] = cents(before), cents(after)
    for i in range(1, competences + 1):
        odd, even = ue_averages[f"UE1.{i}"], ue_averages[f"UE2.{i}"]
        if odd is not None and even is not None:
            c1, c2 = Fraction(rcue_coefs[(1, i)]), Fraction(rcue_coefs[(2, i)])
            shown_values[f"C{i}-1"] = cents((c1 * odd + c2 * even) / (c1 + c2))
    return shown_values


def engine_shown(result):
    """Return the same figures as the engine gives them (rounding.fmt)."""
    figures = {}
    for passage in result.passages:
        for code, ue in passage.ues.items():
            figures.update({(code, m): fmt(a) for m, a in ue.module_averages.items()})
            if ue.average is not None:
                figures[(code, "before")], figures[(code, "after")] = fmt(ue.average_before_bonus), fmt(ue.average)
    figures.update({key: fmt(r.average) for key, r in result.rcues.items() if r.average is not None})
    return figures


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(cohorts())
def test_r6_property_shown_averages_equal_an_independent_fraction_computation(cohort):
    competences, rcue_coefs, modules, mode, students = cohort
    results = build(*cohort).compute().students
    for n, path in enumerate(students):
        assert engine_shown(results[f"s{n}"]) == by_hand(competences, rcue_coefs, modules, mode, path)


def test_r6_shown_rounds_the_exact_value_half_up():
    assert [str(shown(x)) for x in (Fraction(9945, 1000), Fraction(19989, 2000), Fraction(1, 3), Fraction(2, 3))] \
        == ["9.95", "9.99", "0.33", "0.67"]
