"""What the benchmark measures on one department: the year computation, the bare fetch of its grades, pages, writes.

Each measure is a callable run three ways, never mixed: timed (`repeat` times after a first, cold call, with
nothing else switched on), counted (queries, in a run of its own) and weighed (tracemalloc peak, in a run of
its own).
"""
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from bench.department import Department
from grading.engine import compute
from grading.engine.compute import cyclic_gc_paused
from grading.exports import GRADE_COLUMN, HEADER_ROW, evaluation_workbook
from grading.loaders import load_year
from grading.previews import GRADE_IMPORTS as SESSION_IMPORTS
from grading.selectors.grade_entry import grid

BARE_FETCH = """
    SELECT g.evaluation_id, g.enrolment_id, g.value, g.code
    FROM grading_grade g JOIN grading_evaluation e ON e.id = g.evaluation_id
    WHERE e.semester_instance_id IN (%s, %s)
"""


@dataclass
class Figure:
    name: str
    students: int
    first: float = 0.0
    times: list[float] = field(default_factory=list)  # wall clock
    cpu: list[float] = field(default_factory=list)  # this process's CPU (not the database server's)
    queries: int | None = None
    peak_mib: float | None = None
    note: str = ""

    @property
    def min(self) -> float:
        return min(self.times)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def cpu_min(self) -> float:
        return min(self.cpu)


def measure(name: str, department: Department | None, call: Callable[[], object], *, repeat: int,
            students: int = 0, weigh: bool = True) -> Figure:
    """Time `call` (a first cold call, then `repeat` calls), then count its queries, then weigh it (unless not
    `weigh`: the peak is then left unknown)."""
    figure = Figure(name=name, students=department.students if department else students)
    start = time.perf_counter()
    call()
    figure.first = time.perf_counter() - start
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        call()
        figure.times.append(time.perf_counter() - start)
        figure.cpu.append(time.process_time() - cpu)
    with CaptureQueriesContext(connection) as queries:
        call()
    figure.queries = len(queries.captured_queries)
    if not weigh:
        return figure
    tracemalloc.start()
    try:
        call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    figure.peak_mib = peak / 2**20
    return figure


# ---------------------------------------------------------------- the measures


def year_computation(department: Department) -> Callable[[], object]:
    def call():
        cohort = load_year(semester_instances=[department.s3, department.s4])
        with cyclic_gc_paused():  # as grading.selectors.live_results and the jury report run the engine: no explanation
            result = compute(cohort, explain=False)
        assert len(result.students) == department.students
        return result

    return call


def bare_fetch(department: Department) -> Callable[[], object]:
    def call():
        with connection.cursor() as cursor:
            cursor.execute(BARE_FETCH, [department.s3.pk, department.s4.pk])
            rows = cursor.fetchall()
        assert len(rows) == department.students * 60
        return rows

    return call


def engine_only(department: Department, *, explain: bool = False) -> Callable[[], object]:
    cohort = load_year(semester_instances=[department.s3, department.s4])

    def call():
        with cyclic_gc_paused():
            return compute(cohort, explain=explain)

    return call


def loaders_only(department: Department) -> Callable[[], object]:
    return lambda: load_year(semester_instances=[department.s3, department.s4])


def page(client: Client, url: str, *, contains: str = "") -> Callable[[], object]:
    def call():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if contains:
            assert contains in response.content.decode(), (url, contains)
        return response

    return call


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def grid_save(department: Department) -> Callable[[], object]:
    """Save one cell of the grid, alternating two values so that every call changes the grade."""
    client = logged_in(department.secretariat)
    enrolment = department.group.enrolments.order_by("id").first()
    url = reverse("grading:grade_save", args=[department.evaluation.pk])
    state = {"version": department.evaluation.grades.get(enrolment=enrolment).version, "n": 0}

    def call():
        state["n"] += 1
        response = client.post(url, {"enrolment": enrolment.pk, "value": "12" if state["n"] % 2 else "13,5",
                                     "version": state["version"]})
        data = response.json()
        assert response.status_code == 200 and data["ok"], data
        state["version"] = data["version"]
        return response

    return call


def spreadsheet_import(department: Department, rows: int = 200) -> Callable[[], object]:
    """Upload a 200-row grade sheet (preview) and confirm it; two prepared sheets alternate so every call changes
    200 grades. Building the sheets is not timed."""
    client = logged_in(department.secretariat)
    evaluation = department.evaluation
    grid_rows = grid(semester_instance=department.s3, evaluations=[evaluation])[:rows]
    template = evaluation_workbook(evaluation=evaluation, rows=grid_rows)
    upload_url = reverse("grading:evaluation_import", args=[evaluation.pk])
    confirm_url = reverse("grading:evaluation_import_confirm", args=[evaluation.pk])

    def sheet(shift: int) -> bytes:
        wb = load_workbook(BytesIO(template))
        ws = wb.worksheets[0]
        for r in range(HEADER_ROW + 1, HEADER_ROW + 1 + len(grid_rows)):
            ws.cell(row=r, column=GRADE_COLUMN).value = f"{(r + shift) % 20},5"
        out = BytesIO()
        wb.save(out)
        return out.getvalue()

    sheets = [sheet(0), sheet(1)]
    state = {"n": 0}

    def call():
        state["n"] += 1
        upload = BytesIO(sheets[state["n"] % 2])
        upload.name = "notes.xlsx"
        response = client.post(upload_url, {"file": upload})
        assert response.status_code == 200, response.status_code
        token = list(client.session[SESSION_IMPORTS])[-1]  # the preview's token (the form shows it too)
        response = client.post(confirm_url, {"token": token})
        assert response.status_code == 302, response.status_code
        return response

    return call
