"""A cohort of 500 students × 10 UEs × 40 evaluations: every student gets a year decision.

Its time is a benchmark (`bench/`, "engine alone, synthetic"), never a test: tests may pin query counts, never
seconds.
"""
from bench.synthetic import big_cohort
from grading.engine import compute


def test_a_cohort_of_500_students_gets_a_year_decision_each():
    result = compute(big_cohort())
    assert len(result.students) == 500
    assert all(s.years[1] in {"ADM", "PASD", "RED"} for s in result.students.values())
    assert result.incomplete_evaluations == {1: (), 2: ()}  # every grade entered: every evaluation counts
