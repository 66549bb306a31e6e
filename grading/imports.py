"""Spreadsheets the grading app reads (openpyxl, csv): grade sheets and student lists.

Every row is checked first; the caller writes nothing unless the error list is empty.
Messages name the row and the column, in French.
"""
import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from openpyxl import load_workbook

from curriculum.models import Parcours
from grading.exports import GRADE_COLUMN, HEADERS, META_EVALUATION, META_SHEET
from grading.models import Enrolment, Evaluation, SemesterInstance
from grading.validators import is_valid_ine, parse_grade

NOT_A_SPREADSHEET = "Ce fichier n'est pas un tableur lisible (.xlsx attendu{csv}) : {name}."
EMPTY_FILE = "Le fichier ne contient aucune ligne."
NO_METADATA = ("Ce fichier n'a pas été produit par l'application pour une évaluation (feuille « meta » absente) : "
               "téléchargez le modèle de l'évaluation et saisissez-y les notes.")
WRONG_EVALUATION = ("Ce fichier a été préparé pour une autre évaluation ({other}) et non pour « {this} » : "
                    "rien n'a été enregistré.")
NO_HEADER = "Ligne d'en-tête introuvable : la colonne « {column} » est absente."
CELL = "Ligne {row}, colonne « {column} » : {error}"
UNKNOWN_STUDENT = "INE {ine} inconnu : cet étudiant n'est pas inscrit à ce semestre."
DUPLICATE_ROW = "INE {ine} en double (déjà en ligne {first})."
INE_MISSING = "INE manquant."
INE_INVALID = "INE « {ine} » invalide (11 caractères, chiffres et lettres)."
REQUIRED = "valeur obligatoire."
EMAIL_INVALID = "adresse « {email} » invalide."
PARCOURS_UNKNOWN = "parcours « {code} » inconnu (attendu : {choices})."
GROUP_INVALID = "groupe « {name} » invalide (30 caractères au plus)."


def _norm(text) -> str:
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", text.lower())


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_table(file, *, allow_csv: bool) -> tuple[list[list], dict | None, str | None]:
    """Return (rows of the first sheet, metadata or None, error or None) of an uploaded .xlsx (or .csv)."""
    name = getattr(file, "name", "") or "fichier"
    data = file.read()
    csv_hint = " ou .csv" if allow_csv else ""
    if allow_csv and name.lower().endswith(".csv"):
        text = None
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        if text is None or "\x00" in text:
            return [], None, NOT_A_SPREADSHEET.format(csv=csv_hint, name=name)
        first = text.splitlines()[0] if text else ""
        delimiter = ";" if first.count(";") >= first.count(",") and ";" in first else ","
        return list(csv.reader(io.StringIO(text), delimiter=delimiter)), None, None
    try:
        wb = load_workbook(io.BytesIO(data), data_only=True)
    except Exception:  # whatever a foreign file makes openpyxl raise, it is not a usable spreadsheet
        return [], None, NOT_A_SPREADSHEET.format(csv=csv_hint, name=name)
    meta = None
    if META_SHEET in wb.sheetnames:
        meta = {_cell_text(r[0]): r[1] for r in wb[META_SHEET].iter_rows(values_only=True) if r and len(r) > 1}
    sheet = wb.worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)], meta, None


# ---------------------------------------------------------------- grades


@dataclass(frozen=True)
class UploadRow:
    row: int  # spreadsheet row number, as the user sees it
    enrolment_id: int
    raw: str


@dataclass
class GradesUpload:
    rows: list[UploadRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _header(rows: list[list], wanted: dict[str, tuple[str, ...]], required: tuple[str, ...]
            ) -> tuple[int, dict[str, int], str | None]:
    """Find the header row among the first ten: return (index, column of each key, error)."""
    for i, row in enumerate(rows[:10]):
        found = {}
        for col, value in enumerate(row):
            key = _norm(value)
            for name, aliases in wanted.items():
                if key in aliases and name not in found:
                    found[name] = col
        if "ine" in found:
            missing = [n for n in required if n not in found]
            label = COLUMN_LABELS.get(missing[0], missing[0].capitalize()) if missing else ""
            return i, found, (NO_HEADER.format(column=label) if missing else None)
    return -1, {}, NO_HEADER.format(column="INE")


def read_grades_upload(*, file, evaluation: Evaluation) -> GradesUpload:
    """Read an uploaded grade sheet of one evaluation and check every row (R1)."""
    upload = GradesUpload()
    rows, meta, error = read_table(file, allow_csv=False)
    if error:
        upload.errors.append(error)
        return upload
    if not meta or META_EVALUATION not in meta:
        upload.errors.append(NO_METADATA)
        return upload
    if _cell_text(meta[META_EVALUATION]) != str(evaluation.pk):
        other = meta.get("titre") or f"n° {_cell_text(meta[META_EVALUATION])}"
        upload.errors.append(WRONG_EVALUATION.format(other=other, this=evaluation))
        return upload
    wanted = {"ine": ("ine",), "note": ("note",)}
    start, columns, error = _header(rows, wanted, ("ine", "note"))
    if error:
        upload.errors.append(error)
        return upload
    enrolled = dict(Enrolment.objects.filter(semester_instance_id=evaluation.semester_instance_id)
                    .values_list("student__ine", "id"))
    seen: dict[str, int] = {}
    grade_header = HEADERS[GRADE_COLUMN - 1]
    for offset, row in enumerate(rows[start + 1:], start=start + 2):
        cells = list(row) + [None] * (max(columns.values()) + 1 - len(row))
        ine = _cell_text(cells[columns["ine"]]).upper()
        raw = cells[columns["note"]]
        if not ine and not any(_cell_text(c) for c in cells):
            continue  # blank line
        if not ine:
            upload.errors.append(CELL.format(row=offset, column="INE", error=INE_MISSING))
            continue
        if ine in seen:
            upload.errors.append(CELL.format(row=offset, column="INE",
                                             error=DUPLICATE_ROW.format(ine=ine, first=seen[ine])))
            continue
        seen[ine] = offset
        if ine not in enrolled:
            upload.errors.append(CELL.format(row=offset, column="INE", error=UNKNOWN_STUDENT.format(ine=ine)))
            continue
        parsed = parse_grade(raw, max_score=evaluation.max_score)
        if not parsed.ok:
            upload.errors.append(CELL.format(row=offset, column=grade_header, error=parsed.error))
            continue
        upload.rows.append(UploadRow(row=offset, enrolment_id=enrolled[ine], raw=parsed.display))
    if not upload.rows and not upload.errors:
        upload.errors.append(EMPTY_FILE)
    return upload


# ---------------------------------------------------------------- student lists


@dataclass(frozen=True)
class StudentListRow:
    row: int
    ine: str
    last_name: str
    first_name: str
    email: str
    parcours: Parcours | None
    groups: tuple[str, ...]


@dataclass
class StudentListUpload:
    rows: list[StudentListRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


STUDENT_COLUMNS = {
    "ine": ("ine",),
    "nom": ("nom", "lastname", "nomdefamille"),
    "prenom": ("prenom", "firstname"),
    "courriel": ("courriel", "email", "mail", "adressemail", "adressecourriel"),
    "parcours": ("parcours",),
    "groupe": ("groupe", "groupes", "group"),
}
COLUMN_LABELS = {"ine": "INE", "nom": "Nom", "prenom": "Prénom", "courriel": "Courriel", "parcours": "Parcours",
                 "groupe": "Groupe"}


def read_student_list(*, file, semester_instance: SemesterInstance) -> StudentListUpload:
    """Read a student list (.xlsx or .csv: INE, nom, prénom, courriel, parcours, groupe) and check every row."""
    upload = StudentListUpload()
    rows, _meta, error = read_table(file, allow_csv=True)
    if error:
        upload.errors.append(error)
        return upload
    start, columns, error = _header(rows, STUDENT_COLUMNS, ("ine", "nom", "prenom"))
    if error:
        upload.errors.append(error)
        return upload
    programme = semester_instance.semester.programme
    parcours = {p.code.upper(): p for p in Parcours.objects.filter(speciality_id=programme.speciality_id)}
    seen: dict[str, int] = {}
    width = max(columns.values()) + 1
    for number, row in enumerate(rows[start + 1:], start=start + 2):
        cells = list(row) + [None] * (width - len(row))
        values = {key: _cell_text(cells[col]) for key, col in columns.items()}
        if not any(values.values()):
            continue
        problems = []

        def problem(key, message, number=number, problems=problems):
            problems.append(CELL.format(row=number, column=COLUMN_LABELS[key], error=message))

        ine = values["ine"].upper().replace(" ", "")
        if not ine:
            problem("ine", INE_MISSING)
        elif not is_valid_ine(ine):
            problem("ine", INE_INVALID.format(ine=values["ine"]))
        elif ine in seen:
            problem("ine", DUPLICATE_ROW.format(ine=ine, first=seen[ine]))
        else:
            seen[ine] = number
        for key in ("nom", "prenom"):
            if not values[key]:
                problem(key, REQUIRED)
            elif len(values[key]) > 100:
                problem(key, "100 caractères au plus.")
        email = values.get("courriel", "")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problem("courriel", EMAIL_INVALID.format(email=email))
        chosen = programme.parcours
        code = values.get("parcours", "").upper()
        if code:
            chosen = parcours.get(code)
            if chosen is None:
                problem("parcours", PARCOURS_UNKNOWN.format(code=values["parcours"],
                                                            choices=", ".join(sorted(parcours)) or "aucun"))
        groups = tuple(dict.fromkeys(g.strip() for g in re.split(r"[,;/]", values.get("groupe", "")) if g.strip()))
        for name in groups:
            if len(name) > 30:
                problem("groupe", GROUP_INVALID.format(name=name))
        if problems:
            upload.errors.extend(problems)
            continue
        upload.rows.append(StudentListRow(row=number, ine=ine, last_name=values["nom"], first_name=values["prenom"],
                                          email=email, parcours=chosen, groups=groups))
    if not upload.rows and not upload.errors:
        upload.errors.append(EMPTY_FILE)
    return upload
