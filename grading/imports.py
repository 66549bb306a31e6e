"""Spreadsheets the grading app reads: grade sheets and student lists, checked row by row.

The files are read within limits by `grading.spreadsheet_reading`; here every row is checked, and the
caller writes nothing unless the error list is empty. Messages name the row and the column, in French.
"""
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from curriculum.models import Parcours
from grading.enrolment_keys import group_key, is_valid_ine
from grading.exports import GRADE_COLUMN, HEADERS, META_EVALUATION, META_SHEET, META_TITLE, META_VERSIONS
from grading.grade_text import parse_grade
from grading.models import Enrolment, Evaluation, Group, SemesterInstance, Student
from grading.models.enrolments import NIP_PATTERN
from grading.services.student_lists import ListedStudent
from grading.spreadsheet_reading import Formula, read_table

EMPTY_FILE = "Le fichier ne contient aucune ligne."
NO_METADATA = ("Ce fichier n'a pas été produit par l'application pour une évaluation (feuille « meta » absente) : "
               "téléchargez le modèle de l'évaluation et saisissez-y les notes.")
NO_VERSIONS = ("Ce fichier a été téléchargé avant que l'application n'y note l'état des notes : téléchargez-le "
               "à nouveau et reportez-y vos notes, pour qu'aucune note saisie depuis ne soit écrasée.")
WRONG_EVALUATION = ("Ce fichier a été préparé pour une autre évaluation ({other}) et non pour « {this} » : "
                    "rien n'a été enregistré.")
NO_HEADER = "Ligne d'en-tête introuvable : la colonne « {column} » est absente."
CELL = "Ligne {row}, colonne « {column} » : {error}"
UNKNOWN_STUDENT = "INE {ine} inconnu : cet étudiant n'est pas inscrit à ce semestre."
DUPLICATE_ROW = "INE {ine} en double (déjà en ligne {first})."
INE_MISSING = "INE manquant."
INE_INVALID = "INE « {ine} » invalide (11 caractères, chiffres et lettres)."
NIP_INVALID_CELL = "NIP « {nip} » invalide (5 à 12 chiffres)."
NIP_DUPLICATE = "NIP {nip} en double (déjà en ligne {first})."
REQUIRED = "valeur obligatoire."
TOO_LONG = "{max} caractères au plus."
EMAIL_INVALID = "adresse « {email} » invalide."
PARCOURS_UNKNOWN = "parcours « {code} » inconnu (attendu : {choices})."
GROUP_INVALID = "groupe « {name} » invalide (30 caractères au plus)."
GROUP_UNKNOWN = ("groupe « {name} » inconnu (groupes du semestre : {choices}) ; cochez « créer les groupes "
                 "manquants » pour le créer.")
FORMULA_WITHOUT_VALUE = ("cellule {cell} : formule « {formula} » sans valeur calculée enregistrée ; saisissez "
                         "la note elle-même, ou enregistrez le fichier dans un tableur qui calcule les formules.")
FORMULA_NOT_A_NUMBER = "cellule {cell} : la formule « {formula} » donne « {value} », pas une note."


def _norm(text) -> str:
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", text.lower())


def _cell_text(value) -> str:
    if isinstance(value, Formula):
        value = value.cached
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _header(rows: list[tuple], wanted: dict[str, tuple[str, ...]], required: tuple[str, ...]
            ) -> tuple[int, dict[str, int], str | None]:
    """Find the header row among the first ten: return (index, column of each key, error)."""
    for i, row in enumerate(rows[:10]):
        found = {}
        for col, value in enumerate(row):
            key = _norm(_cell_text(value))
            for name, aliases in wanted.items():
                if key in aliases and name not in found:
                    found[name] = col
        if "ine" in found:
            missing = [n for n in required if n not in found]
            label = COLUMN_LABELS.get(missing[0], missing[0].capitalize()) if missing else ""
            return i, found, (NO_HEADER.format(column=label) if missing else None)
    return -1, {}, NO_HEADER.format(column="INE")


# ---------------------------------------------------------------- grades


@dataclass(frozen=True)
class UploadRow:
    row: int  # spreadsheet row number, as the user sees it
    enrolment_id: int
    raw: str
    formula_cell: str = ""  # the cell, when the grade is the value a formula computed


@dataclass
class GradesUpload:
    rows: list[UploadRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    exported: dict[int, tuple[int, str]] = field(default_factory=dict)  # enrolment id -> (version, grade) at export


def _meta(rows: list[tuple]) -> tuple[dict[str, object], dict[str, tuple[int, str]] | None]:
    """Return the meta sheet's keys and its table INE -> (version, grade) at export (None: an older sheet)."""
    keys: dict[str, object] = {}
    versions = None
    for row in rows:
        cells = [_cell_text(c) for c in row[:3]] + [""] * (3 - len(row[:3]))
        if tuple(cells) == META_VERSIONS:
            versions = {}
        elif versions is not None and cells[0]:
            try:
                versions[cells[0].upper()] = (int(cells[1] or 0), cells[2])
            except ValueError:
                continue  # a damaged version counts as unknown, hence as a conflict if the grade changed
        elif versions is None and cells[0] and len(row) > 1:
            keys[cells[0]] = row[1]
    return keys, versions


def _grade_cell(value) -> tuple[object, str, str | None]:
    """Return (raw input, formula cell, error) for a grade cell: a formula counts only by its computed number."""
    if not isinstance(value, Formula):
        return value, "", None
    cached = value.cached
    if cached is None or cached == "":
        return None, "", FORMULA_WITHOUT_VALUE.format(cell=value.coordinate, formula=value.text)
    if isinstance(cached, bool) or not isinstance(cached, int | float):
        return None, "", FORMULA_NOT_A_NUMBER.format(cell=value.coordinate, formula=value.text, value=cached)
    return cached, value.coordinate, None


def read_grades_upload(*, file, evaluation: Evaluation) -> GradesUpload:
    """Read an uploaded grade sheet of one evaluation and check every row (R1)."""
    upload = GradesUpload()
    table = read_table(file, allow_csv=False, extra_sheets=(META_SHEET,))
    if table.error:
        upload.errors.append(table.error)
        return upload
    meta, versions = _meta(table.sheets.get(META_SHEET, []))
    if META_EVALUATION not in meta:
        upload.errors.append(NO_METADATA)
        return upload
    if _cell_text(meta[META_EVALUATION]) != str(evaluation.pk):
        other = _cell_text(meta.get(META_TITLE)) or f"n° {_cell_text(meta[META_EVALUATION])}"
        upload.errors.append(WRONG_EVALUATION.format(other=other, this=evaluation))
        return upload
    if versions is None:
        upload.errors.append(NO_VERSIONS)
        return upload
    rows = table.rows
    start, columns, error = _header(rows, {"ine": ("ine",), "note": ("note",)}, ("ine", "note"))
    if error:
        upload.errors.append(error)
        return upload
    enrolled = dict(Enrolment.objects.filter(semester_instance_id=evaluation.semester_instance_id)
                    .values_list("student__ine", "id"))
    upload.exported = {enrolled[ine]: state for ine, state in versions.items() if ine in enrolled}
    seen: dict[str, int] = {}
    grade_header = HEADERS[GRADE_COLUMN - 1]
    width = max(columns.values()) + 1
    for number, row in enumerate(rows[start + 1:], start=start + 2):
        cells = list(row) + [None] * (width - len(row))
        ine = _cell_text(cells[columns["ine"]]).upper()
        if not ine and not any(_cell_text(c) for c in cells):
            continue  # blank line
        if not ine:
            upload.errors.append(CELL.format(row=number, column="INE", error=INE_MISSING))
            continue
        if ine in seen:
            upload.errors.append(CELL.format(row=number, column="INE",
                                             error=DUPLICATE_ROW.format(ine=ine, first=seen[ine])))
            continue
        seen[ine] = number
        if ine not in enrolled:
            upload.errors.append(CELL.format(row=number, column="INE", error=UNKNOWN_STUDENT.format(ine=ine)))
            continue
        raw, formula_cell, error = _grade_cell(cells[columns["note"]])
        parsed = parse_grade(raw, max_score=evaluation.max_score) if error is None else None
        if error is None and not parsed.ok:
            error = parsed.error
        if error:
            upload.errors.append(CELL.format(row=number, column=grade_header, error=error))
            continue
        upload.rows.append(UploadRow(row=number, enrolment_id=enrolled[ine], raw=parsed.display,
                                     formula_cell=formula_cell))
    if not upload.rows and not upload.errors:
        upload.errors.append(EMPTY_FILE)
    return upload


# ---------------------------------------------------------------- student lists


@dataclass
class StudentListUpload:
    rows: list[ListedStudent] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    new_groups: list[str] = field(default_factory=list)  # names to create (when the user asked for it)


STUDENT_COLUMNS = {
    "ine": ("ine",),
    "nip": ("nip", "numeroetudiant", "noetudiant", "numetudiant", "codeetudiant"),
    "nom": ("nom", "lastname", "nomdefamille"),
    "prenom": ("prenom", "firstname"),
    "courriel": ("courriel", "email", "mail", "adressemail", "adressecourriel"),
    "parcours": ("parcours",),
    "groupe": ("groupe", "groupes", "group"),
    "adresse": ("adresse", "adressepostale", "address", "postaladdress"),
}
COLUMN_LABELS = {"ine": "INE", "nip": "NIP", "nom": "Nom", "prenom": "Prénom", "courriel": "Courriel",
                 "parcours": "Parcours", "groupe": "Groupe", "adresse": "Adresse"}
NAME_MAX = Student._meta.get_field("last_name").max_length
GROUP_MAX = Group._meta.get_field("name").max_length
ADDRESS_MAX = 500  # a postal address: a few lines


def read_student_list(*, file, semester_instance: SemesterInstance, create_groups: bool = False
                      ) -> StudentListUpload:
    """Read a student list (.xlsx or .csv: INE, NIP, nom, prénom, courriel, parcours, groupe, adresse) and check
    every row.

    Group names are matched whatever their spelling ("TD A" is "A"); an unknown one is an error unless
    `create_groups`, and then listed in `new_groups`.
    """
    upload = StudentListUpload()
    table = read_table(file, allow_csv=True)
    if table.error:
        upload.errors.append(table.error)
        return upload
    rows = table.rows
    start, columns, error = _header(rows, STUDENT_COLUMNS, ("ine", "nom", "prenom"))
    if error:
        upload.errors.append(error)
        return upload
    programme = semester_instance.semester.programme
    parcours = {p.code.upper(): p.pk for p in Parcours.objects.filter(speciality_id=programme.speciality_id)}
    groups = {}
    for group in Group.objects.filter(semester_instance=semester_instance).order_by("kind", "name"):
        groups.setdefault(group_key(group.name, group.kind), group.name)
    new_groups: dict[tuple[str, str], str] = {}
    seen: dict[str, int] = {}
    seen_nips: dict[str, int] = {}
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
            problem("ine", INE_INVALID.format(ine=values["ine"][:40]))
        elif ine in seen:
            problem("ine", DUPLICATE_ROW.format(ine=ine, first=seen[ine]))
        else:
            seen[ine] = number
        nip = values.get("nip", "").replace(" ", "")
        if nip and not re.fullmatch(NIP_PATTERN, nip):
            problem("nip", NIP_INVALID_CELL.format(nip=values["nip"][:40]))
        elif nip in seen_nips:
            problem("nip", NIP_DUPLICATE.format(nip=nip, first=seen_nips[nip]))
        elif nip:
            seen_nips[nip] = number
        for key in ("nom", "prenom"):
            if not values[key]:
                problem(key, REQUIRED)
            elif len(values[key]) > NAME_MAX:
                problem(key, TOO_LONG.format(max=NAME_MAX))
        email = values.get("courriel", "")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problem("courriel", EMAIL_INVALID.format(email=email[:80]))
        address = values.get("adresse", "").strip()
        if len(address) > ADDRESS_MAX:
            problem("adresse", TOO_LONG.format(max=ADDRESS_MAX))
        chosen = None
        code = values.get("parcours", "").upper()
        if code:
            chosen = parcours.get(code)
            if chosen is None:
                problem("parcours", PARCOURS_UNKNOWN.format(code=values["parcours"][:40],
                                                            choices=", ".join(sorted(parcours)) or "aucun"))
        names = None
        if values.get("groupe"):
            names = []
            for name in dict.fromkeys(" ".join(g.split()) for g in re.split(r"[,;/]", values["groupe"])):
                if not name:
                    continue
                key = group_key(name)
                if len(name) > GROUP_MAX:
                    problem("groupe", GROUP_INVALID.format(name=name[:40]))
                elif key in groups:
                    names.append(groups[key])
                elif create_groups:
                    names.append(new_groups.setdefault(key, name))
                else:
                    problem("groupe", GROUP_UNKNOWN.format(name=name, choices=", ".join(
                        sorted(set(groups.values()))) or "aucun"))
        if problems:
            upload.errors.extend(problems)
            continue
        upload.rows.append(ListedStudent(row=number, ine=ine, last_name=values["nom"], first_name=values["prenom"],
                                          email=email, parcours_id=chosen, nip=nip, postal_address=address,
                                          groups=None if names is None else tuple(sorted(names))))
    upload.new_groups = sorted(new_groups.values())
    if not upload.rows and not upload.errors:
        upload.errors.append(EMPTY_FILE)
    return upload
