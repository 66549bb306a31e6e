"""Benchmarks: the year computation against the bare fetch of its grades, pages, documents and writes. Not a test.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/mydb make bench            200 and 1 000 students
    DATABASE_URL=… .venv/bin/python bench/run.py --large                         and 10 000 (builds for minutes)
    .venv/bin/python bench/run.py --sizes 200 --repeat 3                         a quick look

It works in a database of its own (`<NAME>_bench`, created then dropped), on PostgreSQL when DATABASE_URL says so
(SQLite otherwise: figures then say little). Each department is built through the project's services (see
bench/department.py). Every measure runs once cold, then `--repeat` times (min and median printed), then once
more to count queries, then once more under tracemalloc for its peak memory: timing never runs with tracemalloc.
The documents (bench/documents.py: the PV, the letters and the bulletins of the promotion, one bulletin on demand)
run at most twice after the cold call and are not weighed; their lines add pages per second, seconds per student
and whether the aim is met.
"""
import argparse
import datetime
import os
import platform
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "butgmp.settings")

DEFAULT_SIZES = (200, 1000)
LARGE = 10_000
YEAR = "year computation (loaders + engine)"
BARE = "bare fetch of the year's grades"
LOADERS = "  loaders alone"
SYNTHETIC = "engine alone, synthetic cohort (10 UEs, 40 evaluations, no database)"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def database() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
    return f"{connection.vendor} (not representative: set DATABASE_URL to a PostgreSQL database)"


def run_department(size: int, repeat: int, only: list[str]) -> list:
    from bench import department as builder
    from bench import measures as m
    from bench.documents import documents, pdf_pages, verdict
    from bench.pages import INCOMPLETE, INCOMPLETE_PAGES, incomplete_pages, one_evaluation_incomplete, pages

    started = time.perf_counter()
    print(f"building {size} students…", flush=True)
    dept = builder.build(students=size, start_year=builder.free_year(size),
                         progress=lambda line: print(line, flush=True))
    print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
    plan = [
        (YEAR, m.year_computation(dept)),
        (BARE, m.bare_fetch(dept)),
        (LOADERS, m.loaders_only(dept)),
        ("  engine alone", m.engine_only(dept)),
        ("  engine alone, explanations noted (run_scenario)", m.engine_only(dept, explain=True)),
        *pages(dept),
    ]
    figures = []

    def run(name: str, call) -> None:
        if only and not any(word in name for word in only):
            return
        times = repeat if size < LARGE or "page (all" not in name else max(1, repeat // 2)
        figure = m.measure(name, dept, call, repeat=times)
        print(f"  {name}: min {figure.min:.3f} s, median {figure.median:.3f} s, CPU {figure.cpu_min:.3f} s, "
              f"{figure.queries} queries, "
              f"peak {figure.peak_mib:.1f} MiB", flush=True)
        figures.append(figure)

    for name, call in plan:
        run(name, call)
    if not only or any(word in name + INCOMPLETE for name in INCOMPLETE_PAGES for word in only):
        with one_evaluation_incomplete(dept) as evaluation:
            for name, call in incomplete_pages(dept, evaluation):
                run(name, call)
    for document in documents(dept):  # PDFs: timed fewer times, not weighed (tracemalloc slows WeasyPrint tenfold)
        if only and not any(word in document.name for word in only):
            continue
        made = {}

        def call(document=document, made=made):
            made["pdf"] = document.call()

        figure = m.measure(document.name, dept, call, repeat=min(repeat, 2), weigh=False)
        count = pdf_pages(made["pdf"])
        print(f"  {document.name}: min {figure.min:.3f} s (CPU {figure.cpu_min:.3f} s), {count} pages, "
              f"{count / figure.min:.1f} pages/s, "
              f"{figure.min / document.students:.3f} s per student, {figure.queries} queries "
              f"({verdict(document.name, figure.min, document.students)})", flush=True)
        figures.append(figure)
    # the writes last: they change the department
    run("grid save (one cell)", m.grid_save(dept))
    run("spreadsheet import (200 rows, upload + confirm)", m.spreadsheet_import(dept))
    return figures


def run_synthetic(repeat: int) -> list:
    from bench import measures as m
    from bench.synthetic import FORMER_LIMIT, big_cohort
    from grading.engine import compute

    cohort = big_cohort()
    figure = m.measure(SYNTHETIC, None, lambda: compute(cohort), repeat=repeat, students=500)
    verdict = "met" if figure.median < FORMER_LIMIT else "NOT met"
    print(f"{SYNTHETIC}: min {figure.min:.3f} s, median {figure.median:.3f} s "
          f"(the former test's {FORMER_LIMIT} s: {verdict})", flush=True)
    return [figure]


def count(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")  # 10 000, with a narrow no-break space


def peak(figure) -> str:
    return "–" if figure.peak_mib is None else f"{figure.peak_mib:.1f} MiB"


def table(figures: list) -> str:
    lines = ["| measure | students | first call | min | median | CPU (min) | queries | peak memory |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    by_size: dict[int, dict[str, object]] = {}
    for f in figures:
        by_size.setdefault(f.students, {})[f.name] = f
        lines.append(f"| {f.name.strip()} | {count(f.students)} | {f.first:.3f} s | {f.min:.3f} s | "
                     f"{f.median:.3f} s | {f.cpu_min:.3f} s | {f.queries} | {peak(f)} |")
    lines += ["", "| students | year computation / bare fetch (min) | (median) | loaders alone / bare fetch (min) |",
              "|---:|---:|---:|---:|"]
    for size, named in by_size.items():
        year, bare, loaders = named.get(YEAR), named.get(BARE), named.get(LOADERS)
        if year and bare:
            alone = f"{loaders.min / bare.min:.1f}×" if loaders else "–"
            lines.append(f"| {count(size)} | {year.min / bare.min:.1f}× | {year.median / bare.median:.1f}× | {alone} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="student counts, comma-separated")
    parser.add_argument("--large", action="store_true", help=f"also {LARGE} students (builds for minutes)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per measure (after a cold one)")
    parser.add_argument("--keep", action="store_true", help="keep the bench database and reuse its departments")
    parser.add_argument("--only", default="", help="measures whose name contains one of these words (comma-separated)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s] + ([LARGE] if args.large else [])

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.DEBUG = False  # no query log while timing
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the test client's host
    warnings.filterwarnings("ignore", message="Limit for query logging exceeded")
    connection.settings_dict.setdefault("TEST", {})["NAME"] = (
        f"{connection.settings_dict['NAME']}_bench" if connection.vendor == "postgresql" else None)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=args.keep)
    try:
        from bench.department import load_programmes

        load_programmes()
        print(f"{datetime.date.today():%Y-%m-%d} · {machine()} · {database()}", flush=True)
        figures = run_synthetic(args.repeat) if not args.only or "synthetic" in args.only else []
        for size in sizes:
            figures += run_department(size, repeat=args.repeat, only=[w for w in args.only.split(",") if w])
        print()
        print(table(figures))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=args.keep)


if __name__ == "__main__":
    main()
