"""The pages the benchmark opens: every page of a semester the secretariat, the jury or a teacher opens, and the
student's own ones. Exports (xlsx, pdf) are files, not pages: they are left out.

Aims (issue 7): a 25-row group grid under 0.1 s, any staff page of a 200-student semester under 0.15 s, the
student's own page under 0.05 s whatever the cohort's size.
"""
from collections.abc import Callable

from django.urls import reverse

from bench.department import Department
from bench.measures import logged_in, page

GROUP_GRID = "group grid page (module, 25 rows)"
OWN_PAGE = "student's own page"


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
        (OWN_PAGE, page(student, reverse("grading:my_results"))),
        ("staff student page", staff_page(reverse("grading:student_detail", args=[s3, enrolment.pk]))),
        ("student record (search)", staff_page(reverse("grading:student_record", args=[enrolment.student_id]))),
        ("semester results page", staff_page(reverse("grading:semester_results", args=[s3]))),
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
        ("publication page", staff_page(reverse("grading:publication", args=[s3]))),
        ("bulletin batches page", staff_page(reverse("grading:bulletin_batches", args=[s3]))),
        ("jury home page", staff_page(reverse("jury:home"))),
        ("jury year report page", staff_page(reverse("jury:report", args=["annee", s3]))),
        ("jury semester report page", staff_page(reverse("jury:report", args=["semestre", s3]))),
        ("jury student sheet (year)", staff_page(reverse("jury:sheet", args=["annee", s3, enrolment.student_id]))),
    ]
