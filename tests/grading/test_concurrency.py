"""Two real connections saving the same grade at once (PostgreSQL only): the second is refused, not lost."""
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from grading.models import Grade, GradeChange
from grading.services.errors import GradeConflict
from grading.services.grades import GradeSaved, grade_set, grades_import

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs two real PostgreSQL connections"),
]


def race(*calls):
    """Run each call in its own thread (its own connection), starting together; return results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # collected and asserted on by the test
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def test_two_saves_of_the_same_displayed_version_let_exactly_one_win(users, evaluation, enrolments):
    grade_set(evaluation=evaluation, enrolment=enrolments[0], raw="10", user=users["secretariat"])
    results = race(
        lambda: grade_set(evaluation=evaluation, enrolment=enrolments[0], raw="12", expected_version=1,
                                   user=users["secretariat"]),
        lambda: grade_set(evaluation=evaluation, enrolment=enrolments[0], raw="15", expected_version=1,
                                   user=users["direction"]),
    )
    conflicts = [r for r in results if isinstance(r, GradeConflict)]
    saved = [r for r in results if isinstance(r, GradeSaved)]
    assert len(conflicts) == 1 and len(saved) == 1, results
    grade = Grade.objects.get()
    assert grade.version == 2
    assert grade.display == saved[0].new
    assert conflicts[0].current == saved[0].new  # the loser is shown the winner's value…
    assert conflicts[0].yours in {"12", "15"} - {saved[0].new}  # …and its own
    assert GradeChange.objects.count() == 2


def test_two_first_saves_of_an_empty_cell_let_exactly_one_win(users, evaluation, enrolments):
    results = race(
        lambda: grade_set(evaluation=evaluation, enrolment=enrolments[0], raw="7", expected_version=0,
                                   user=users["secretariat"]),
        lambda: grade_set(evaluation=evaluation, enrolment=enrolments[0], raw="8", expected_version=0,
                                   user=users["direction"]),
    )
    assert sorted(type(r).__name__ for r in results) == ["GradeConflict", "GradeSaved"], results
    assert Grade.objects.get().version == 1
    assert GradeChange.objects.count() == 1


def test_an_import_and_a_grid_save_do_not_overwrite_each_other_silently(users, evaluation, enrolments):
    grade_set(evaluation=evaluation, enrolment=enrolments[0], raw="10", user=users["secretariat"])
    results = race(
        lambda: grades_import(evaluation=evaluation, rows=[(enrolments[0].pk, "11")], user=users["direction"],
                                       filename="x.xlsx", expected_versions={enrolments[0].pk: 1}),
        lambda: grade_set(evaluation=evaluation, enrolment=enrolments[0], raw="12", expected_version=1,
                                   user=users["secretariat"]),
    )
    winners = [r for r in results if not isinstance(r, Exception)]
    assert len(winners) == 1, results
    grade = Grade.objects.get()
    assert grade.version == 2
    assert grade.value in {Decimal("11"), Decimal("12")}
