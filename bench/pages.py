"""The pages the benchmark opens: every page of a semester the secretariat, the jury or a teacher opens, and the
student's own ones. Exports (xlsx, pdf) are files, not pages: they are left out.

Aims: a 25-row group grid under 0.1 s, any staff page of a 200-student semester under 0.15 s, the
student's own page under 0.05 s whatever the cohort's size.
"""
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal

from django.urls import reverse

from bench.department import Department, staff_user
from bench.measures import logged_in, page
from butgmp.roles import Role
from grading.models import Enrolment, Evaluation
from grading.services.evaluations import evaluation_create
from grading.services.grades import grades_import

GROUP_GRID = "group grid page (module, 25 rows)"
OWN_PAGE = "student's own page"
INCOMPLETE_TITLE = "Évaluation incomplète du banc"  # nothing HTML escapes
INCOMPLETE = ", one evaluation incomplete"
MISSING = 3  # students without a grade in it
RESULTS_PAGE = "semester results page (with its charts)"
INCOMPLETE_PAGES = ("semester page", RESULTS_PAGE, "teacher's results page (every module)",
                    "evaluation's missing grades page", "jury year report page", "jury semester report page")


def pages(dept: Department) -> list[tuple[str, Callable[[], object]]]:
    """Return (name, call) for each page, the staff's opened by the secretariat (who sees every module)."""
    staff = logged_in(dept.secretariat)
    student = logged_in(dept.student_user)
    enrolment = dept.group.enrolments.select_related("student").order_by("id").first()
    s3 = dept.s3.pk
    module_url = reverse("grading:module_grid", args=[s3, dept.module.pk])

    def staff_page(url: str) -> Callable[[], object]:
        return page(staff, url)

    return [
        (GROUP_GRID, staff_page(f"{module_url}?groupe={dept.group.pk}")),
        (OWN_PAGE, page(student, reverse("portal:my_results"))),
        ("staff student page", staff_page(reverse("grading:student_detail", args=[s3, enrolment.pk]))),
        ("student record (search)", staff_page(reverse("grading:student_record", args=[enrolment.student_id]))),
        (RESULTS_PAGE, staff_page(reverse("grading:semester_results", args=[s3]))),
        ("  its bands chart drawn afresh (matplotlib, no cache)", bands_chart(dept)),
        ("semester results page, sorted by a UE", staff_page(
            reverse("grading:semester_results", args=[s3]) + "?tri=-ue_0")),
        ("teacher's results page (every module)", staff_page(reverse("grading:teacher_results", args=[s3]))),
        ("semester page", staff_page(reverse("grading:semester_detail", args=[s3]))),
        ("module grid page (all rows)", staff_page(module_url)),
        ("evaluation grid page (all rows)", staff_page(reverse("grading:evaluation_grid", args=[dept.evaluation.pk]))),
        ("evaluation's missing grades page", staff_page(
            reverse("grading:evaluation_incomplete", args=[dept.evaluation.pk]))),
        ("enrolment list page", staff_page(reverse("grading:enrolment_list", args=[s3]))),
        ("group list page", staff_page(reverse("grading:group_list", args=[s3]))),
        ("responsible list page", staff_page(reverse("grading:responsible_list", args=[s3]))),
        ("evaluation plan page", staff_page(reverse("grading:evaluation_plan", args=[s3]))),
        ("publication page", staff_page(reverse("portal:publication", args=[s3]))),
        ("bulletin batches page", staff_page(reverse("portal:bulletin_batches", args=[s3]))),
        ("jury home page", staff_page(reverse("jury:home"))),
        ("jury year report page", staff_page(reverse("jury:report", args=["annee", s3]))),
        ("promotion flow page", page(logged_in(staff_user("bench-jury", Role.JURY)), reverse("grading:cohort_flow"))),
        ("jury semester report page", staff_page(reverse("jury:report", args=["semestre", s3]))),
        ("jury student sheet (year)", staff_page(reverse("jury:sheet", args=["annee", s3, enrolment.student_id]))),
    ]


def bands_chart(dept: Department) -> Callable[[], object]:
    """Draw the semester results page's bands chart without its cache: what a chart costs the first time."""
    from butgmp.charts.plots import _draw_bands
    from grading.selectors.live_results import live_results
    from grading.statistics import BAND_LABELS, summarise

    live = live_results(semester_instance=dept.s3)
    rows = [(code, summarise(_shown(cells.get(code, (None,))[0]) for cells in live.ues.values()
                             if cells.get(code, (None,))[0] is not None).bands) for code in live.ue_codes]
    return lambda: _draw_bands(rows, title="bench", labels=BAND_LABELS)


def _shown(average: str) -> Decimal:
    return Decimal(average.replace(",", "."))


@contextmanager
def one_evaluation_incomplete(dept: Department) -> Iterator[Evaluation]:
    """Add to S3 an evaluation graded for all but three students (R2: it counts for nobody yet), then remove it."""
    Evaluation.objects.filter(semester_instance=dept.s3, title=INCOMPLETE_TITLE).delete()  # a run cut short
    evaluation = evaluation_create(semester_instance=dept.s3, module=dept.module, title=INCOMPLETE_TITLE)
    enrolments = Enrolment.objects.filter(semester_instance=dept.s3).order_by("id").values_list("id", flat=True)
    grades_import(evaluation=evaluation, rows=[(e, "12") for e in enrolments[MISSING:]], user=dept.secretariat,
                  filename="bench.xlsx")
    try:
        yield evaluation
    finally:
        evaluation.delete()  # the signal bumps the semester's results version


def incomplete_pages(dept: Department, evaluation: Evaluation) -> list[tuple[str, Callable[[], object]]]:
    """Return the pages that show what an incomplete evaluation waits for, with one evaluation incomplete."""
    staff = logged_in(dept.secretariat)
    s3 = dept.s3.pk
    urls = {
        "semester page": reverse("grading:semester_detail", args=[s3]),
        RESULTS_PAGE: reverse("grading:semester_results", args=[s3]),
        "teacher's results page (every module)": reverse("grading:teacher_results", args=[s3]),
        "evaluation's missing grades page": reverse("grading:evaluation_incomplete", args=[evaluation.pk]),
        "jury year report page": reverse("jury:report", args=["annee", s3]),
        "jury semester report page": reverse("jury:report", args=["semestre", s3]),
    }
    assert list(urls) == list(INCOMPLETE_PAGES)
    return [(name + INCOMPLETE, page(staff, url, contains=INCOMPLETE_TITLE)) for name, url in urls.items()]
