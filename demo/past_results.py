"""The demo's BUT2 students' BUT1, held before the application was used: a generated spreadsheet, imported through
the same service as the page (results from before), so that « ECTS total » counts it and R15 can hold."""
import random

from curriculum.models import UE, Programme
from demo.dates import LAST_YEAR
from grading.models import Student
from grading.past_results_reading import rows_from_table
from grading.services.past_results import past_results_import

HEADER = ("NIP", "INE", "objet", "code", "moyenne", "origine")
FILENAME = "but1-avant-l-application.xlsx"


def but1_table(*, students: list[Student], ue_codes: list[str], seed: int) -> list[tuple]:
    """Return the sheet a department would fill: every BUT1 UE validated (ADM), with a plausible average."""
    rng = random.Random(seed * 7 + 1)
    origin = f"BUT1 {LAST_YEAR - 1}-{LAST_YEAR}"
    rows = [HEADER]
    for student in students:
        level = rng.uniform(11, 14)
        for code in ue_codes:
            average = max(10.0, min(18.0, round(rng.gauss(level, 1.5) * 4) / 4))
            rows.append((student.nip, student.ine, code, "ADM", f"{average:.2f}".replace(".", ","), origin))
    return rows


def import_but1(*, department: Programme, dijon: Programme, seed: int, user) -> int:
    """Import the BUT1 of every student the demo enrols in BUT2 (either year); return the validations written."""
    students = list(Student.objects.filter(enrolments__semester_instance__semester__programme=dijon)
                    .distinct().order_by("ine"))
    ue_codes = list(UE.objects.filter(semester__programme=department, semester__number__in=(1, 2))
                    .order_by("semester__number", "order", "code").values_list("code", flat=True))
    rows = rows_from_table(but1_table(students=students, ue_codes=ue_codes, seed=seed))
    plan, _ = past_results_import(rows=rows, programme=department, user=user, filename=FILENAME)
    return len(plan.new)
