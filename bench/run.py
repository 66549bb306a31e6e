"""Benchmarks: print figures (time, memory, queries) for the engine and the loaders. Not a test.

    make bench     (or: .venv/bin/python bench/run.py [--students 500])
"""
import argparse
import os
import random
import sys
import time
import tracemalloc
import warnings
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "butgmp.settings")


def synthetic_cohort(n_students: int, n_ues: int = 10, n_evaluations: int = 40):
    """Two semesters (S3, S4) of a programme with n_ues UEs and n_evaluations evaluations each."""
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

    rng = random.Random(1)
    ues, modules, runs = {}, {}, {}
    for semester in (3, 4):
        codes = [f"UE{semester}.{i + 1}" for i in range(n_ues // 2)]
        for i, code in enumerate(codes):
            ues[code] = UEDef(code=code, semester=semester, competence=f"C{i + 1}", level=2, ects=Decimal(6))
        evaluations = []
        for m in range(n_evaluations // 2):
            module = f"R{semester}.{m + 1:02d}"
            modules[module] = ModuleDef(code=module, semester=semester, kind="resource",
                                        coefficients={c: Decimal(rng.randint(1, 4)) for c in rng.sample(codes, 3)})
            evaluations += [EvaluationDef(id=(semester, m, k), module=module, coef=Decimal(k + 1)) for k in range(2)]
        students = range(n_students)
        grades = {s: {e.id: GradeValue(value=Decimal(rng.randint(0, 80)) / 4) for e in evaluations} for s in students}
        runs[semester] = SemesterRun(key=semester, semester=semester, evaluations=tuple(evaluations), grades=grades,
                                     enrolled=frozenset(students))
    cohort_students = tuple(StudentInput(id=s, passages=(Passage(run=3, semester=3), Passage(run=4, semester=4)))
                            for s in range(n_students))
    return CohortInput(ues=ues, modules=modules, runs=runs, students=cohort_students)


def bench_engine(n_students: int):
    from grading.engine import compute

    cohort = synthetic_cohort(n_students)
    tracemalloc.start()
    start = time.perf_counter()
    result = compute(cohort)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    grades = sum(len(g) for run in cohort.runs.values() for g in run.grades.values())
    print(f"engine: {n_students} students, {grades} grades, 10 UEs, 5 RCUEs: "
          f"{elapsed:.2f} s ({elapsed / n_students * 1000:.1f} ms/student), peak memory {peak / 2**20:.1f} MiB")
    assert len(result.students) == n_students


def bench_loader(n_students: int):
    import django

    warnings.filterwarnings("ignore", message="Limit for query logging exceeded")

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from grading.demo import load_demo
    from grading.loaders import load_cohort
    from grading.models import SemesterInstance

    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        from django.core.management import call_command

        call_command("load_programmes", verbosity=0, stdout=open(os.devnull, "w"))
        load_demo(students=n_students)
        instance = SemesterInstance.objects.filter(semester__number=3).first()
        connection.queries_log.clear()  # the demo data filled the log: count from empty
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            cohort = load_cohort(semester_instance=instance)
            elapsed = time.perf_counter() - start
        grades = sum(len(g) for run in cohort.runs.values() for g in run.grades.values())
        print(f"loader: {len(cohort.students)} students, {grades} grades: {elapsed:.2f} s, "
              f"{len(queries.captured_queries)} queries ({connection.vendor})")
        from grading.engine import compute

        start = time.perf_counter()
        compute(cohort)
        print(f"engine on the Dijon S3 cohort: {time.perf_counter() - start:.2f} s")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=500)
    args = parser.parse_args()
    bench_engine(args.students)
    bench_loader(min(args.students, 300))
