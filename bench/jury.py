"""Benchmark of the jury report: server time and query count at 200 and 1 000 students. Not a test.

    PYTHONPATH=. .venv/bin/python bench/jury.py [--students 200 1000] [--repeat 3]

Builds a synthetic S3–S4 promotion per size in a throw-away test database, then times the report selector
(`jury.report.jury_report`) and the whole page (`/notes/jury/rapport/annee/<id>/`, through Django's test
client, so it is server time without the network). Aim: under 0.15 s at 200 students.
"""
import argparse
import os
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "butgmp.settings")


def best_of(repeat: int, call):
    """Return (best seconds, result of the last call)."""
    best, result = None, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def main(sizes: list[int], repeat: int) -> None:
    import django

    warnings.filterwarnings("ignore", message="Limit for query logging exceeded")
    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import Group as AuthGroup
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from butgmp.roles import Role
    from demo.jury_promotion import make_promotion
    from jury.report import jury_report
    from jury.scope import scope_for

    settings.ALLOWED_HOSTS = ["testserver"]  # the test client's host; no test instrumentation of templates
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        user = User.objects.create_user(username="bench-jury", password="x")
        user.groups.add(AuthGroup.objects.get_or_create(name=Role.JURY)[0])
        client = Client()
        client.force_login(user)
        for size in sizes:
            start = time.perf_counter()
            promotion = make_promotion(students=size, left=2, att=2, missing=1, repeaters=5)
            built = time.perf_counter() - start
            scope = scope_for(promotion.s3, year=True)
            connection.queries_log.clear()  # the bulk writes filled the log: count from empty
            with CaptureQueriesContext(connection) as queries:
                jury_report(scope=scope)
            selector, _ = best_of(repeat, lambda scope=scope: jury_report(scope=scope))
            url = f"/notes/jury/rapport/annee/{promotion.s3.pk}/"
            client.get(url)  # warm the template cache
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as page_queries:
                client.get(url)
            page, response = best_of(repeat, lambda url=url: client.get(url))
            assert response.status_code == 200
            print(f"jury report, {size} students (built in {built:.1f} s): report {selector:.3f} s, "
                  f"{len(queries.captured_queries)} queries; page {page:.3f} s, "
                  f"{len(page_queries.captured_queries)} queries ({connection.vendor})")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    main(args.students, args.repeat)
