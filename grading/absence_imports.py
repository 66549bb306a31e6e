"""Reading an attendance sheet (.xlsx or .csv, bounded like every import: grading.spreadsheet_reading): one row per
absence, columns INE or NIP, Date, and optionally « Demi-journée » (matin, après-midi, or journée when empty). Every
row is checked; a problem names its row and column in French; nothing is kept from a file with one.
"""
import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from grading.models import Enrolment
from grading.spreadsheet_reading import Formula, read_table

CELL = "Ligne {row}, colonne « {column} » : {error}"
NO_STUDENT_COLUMN = "Ligne d'en-tête introuvable : il faut une colonne « INE » ou « NIP »."
NO_DATE_COLUMN = "Ligne d'en-tête introuvable : la colonne « Date » est absente."
EMPTY = "Le fichier ne contient aucune absence."
UNKNOWN_STUDENT = "« {value} » n'est pas un étudiant inscrit à ce semestre"
BAD_DATE = "« {value} » n'est pas une date (jj/mm/aaaa)"
BAD_HALF = "« {value} » : matin, après-midi ou journée attendu"
FORMULA = "formule (« {text} ») : saisissez la valeur"
WEEKEND = "le {day:%d/%m/%Y} est un {name}"
HALVES = {"matin": ("matin",), "apres-midi": ("après-midi",), "aprem": ("après-midi",), "am": ("matin",),
          "pm": ("après-midi",), "journee": ("matin", "après-midi"), "": ("matin", "après-midi")}


@dataclass
class AbsenceSheet:
    rows: list[tuple[int, str, str]] = field(default_factory=list)  # (enrolment id, ISO date, "matin"|"après-midi")
    errors: list[str] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)  # enrolment id -> the student's name, for the preview


def _key(text) -> str:
    plain = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z]+", "-", plain).strip("-")


def _date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = re.fullmatch(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*", str(value or ""))
    if match is None:
        match = re.fullmatch(r"\s*(\d{4})-(\d{2})-(\d{2})\s*", str(value or ""))
        if match is None:
            return None
        year, month, day = map(int, match.groups())
    else:
        day, month, year = map(int, match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _cell(row, index):
    return row[index] if index is not None and index < len(row) else None


def read_absence_sheet(*, file, semester_instance) -> AbsenceSheet:
    """Read and check an attendance sheet for a semester instance's enrolled students."""
    sheet = AbsenceSheet()
    table = read_table(file, allow_csv=True)
    if table.error:
        sheet.errors.append(table.error)
        return sheet
    rows = [row for row in table.rows if any(cell not in (None, "") for cell in row)]
    if not rows:
        sheet.errors.append(EMPTY)
        return sheet
    header = {_key(cell): i for i, cell in enumerate(rows[0]) if cell not in (None, "")}
    student_column = next((c for c in ("ine", "nip", "numero-etudiant") if c in header), None)
    if student_column is None:
        sheet.errors.append(NO_STUDENT_COLUMN)
    if "date" not in header:
        sheet.errors.append(NO_DATE_COLUMN)
    if sheet.errors:
        return sheet
    labels = {"ine": "INE", "nip": "NIP", "numero-etudiant": "numéro étudiant"}
    half_column = next((header[c] for c in ("demi-journee", "demi-journees", "creneau") if c in header), None)
    enrolments = {}
    for enrolment in Enrolment.objects.filter(semester_instance=semester_instance).select_related("student"):
        enrolments[enrolment.student.ine.upper()] = enrolment
        if enrolment.student.nip:
            enrolments[enrolment.student.nip] = enrolment
    seen = set()
    for number, row in enumerate(rows[1:], start=2):
        def fail(column, error, number=number):
            sheet.errors.append(CELL.format(row=number, column=column, error=error))

        values = {"student": _cell(row, header[student_column]), "date": _cell(row, header["date"]),
                  "half": _cell(row, half_column)}
        if any(isinstance(v, Formula) for v in values.values()):
            formula = next(v for v in values.values() if isinstance(v, Formula))
            fail(formula.coordinate, FORMULA.format(text=formula.text))
            continue
        identifier = str(values["student"] if values["student"] is not None else "").strip()
        enrolment = enrolments.get(identifier.upper())
        if enrolment is None:
            fail(labels[student_column], UNKNOWN_STUDENT.format(value=identifier))
        day = _date(values["date"])
        if day is None:
            fail("Date", BAD_DATE.format(value=values["date"] if values["date"] is not None else ""))
        elif day.weekday() >= 5:
            fail("Date", WEEKEND.format(day=day, name="samedi" if day.weekday() == 5 else "dimanche"))
            day = None
        halves = HALVES.get(_key(values["half"]))
        if halves is None:
            fail("Demi-journée", BAD_HALF.format(value=values["half"]))
        if enrolment is None or day is None or halves is None:
            continue
        sheet.names[enrolment.pk] = str(enrolment.student)
        for half in halves:
            if (enrolment.pk, day, half) not in seen:
                seen.add((enrolment.pk, day, half))
                sheet.rows.append((enrolment.pk, day.isoformat(), half))
    return sheet
