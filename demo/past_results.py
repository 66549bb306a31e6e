"""The demo's BUT2 students' BUT1, held before the application was used: a generated .xlsx file, read by the same
bounded reader and imported through the same service as the page (results from before), so that « ECTS total »
counts it and R15 is known (R15).

Each student's S1/S2 UEs of the department's programme are validated consistently with their profile: ADM at an
average drawn from it, or, for a competence the profile is weak in, CMP in the S1 UE compensated by the S2 one."""
import io
from decimal import Decimal

from openpyxl import Workbook

from butgmp.spreadsheets import put
from curriculum.models import UE, Programme
from demo.marks import Profile
from grading.models import Student
from grading.past_results_reading import rows_from_table
from grading.services.past_results import past_results_import
from grading.spreadsheet_reading import read_table

HEADER = ("NIP", "INE", "objet", "code", "moyenne", "origine")
FILENAME = "but1-avant-l-application.xlsx"
COMPENSATED = Decimal("9.40")  # a weak competence's S1 UE, compensated in its RCUE by the S2 one
PARTNER = Decimal("11.20")


def but1_table(*, students: list[Student], profiles: dict[str, Profile], ues: list[UE], origin: str) -> list[tuple]:
    """Return the sheet a department would fill for these students' BUT1 UEs."""
    rows = [HEADER]
    for student in students:
        profile = profiles[student.ine]
        for ue in ues:
            level = profile.ability + profile.offsets.get(ue.competence_level.competence.code, 0.0)
            if level < 10:
                code, average = ("CMP", COMPENSATED) if ue.semester.number == 1 else ("ADM", PARTNER)
            else:
                code, average = "ADM", Decimal(str(round(min(17.5, max(10.5, level)), 2)))
            rows.append((student.nip, student.ine, ue.code, code, f"{average:.2f}".replace(".", ","), origin))
    return rows


def but1_file(table: list[tuple]) -> io.BytesIO:
    """Return the sheet as the .xlsx file the department would upload (named FILENAME)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "BUT1"
    for r, row in enumerate(table, start=1):
        for c, value in enumerate(row, start=1):
            put(sheet, r, c, value)
    file = io.BytesIO()
    workbook.save(file)
    file.seek(0)
    file.name = FILENAME
    return file


def import_but1(*, department: Programme, students: list[Student], profiles: dict[str, Profile], start_year: int,
                user) -> int:
    """Import the BUT1 (`start_year`) of these students from a generated .xlsx file, read and imported as the page
    does; return how many validations were written (those already on record are left as they are)."""
    ues = list(UE.objects.filter(semester__programme=department, semester__number__in=(1, 2))
               .select_related("semester", "competence_level__competence")
               .order_by("semester__number", "order", "code"))
    table = but1_table(students=students, profiles=profiles, ues=ues, origin=f"BUT1 {start_year}-{start_year + 1}")
    read = read_table(but1_file(table), allow_csv=False)
    if read.error:
        raise ValueError(read.error)  # the demo's own file: a bug, not a department's mistake
    plan, _ = past_results_import(rows=rows_from_table(read.rows), programme=department, user=user,
                                  filename=FILENAME)
    return len(plan.new)
