"""Read results from before (validations of earlier years or another institution) into plain rows.

Two sources:
- a spreadsheet, one row per student and UE or RCUE: columns NIP, INE, objet (a UE code such as UE1.1, an RCUE
  key such as C1-1, or « année »), code, moyenne, origine (optional);
- the JSON ScoDoc's API returns for a semester's jury decisions (`…/formsemestre/<id>/decisions_jury`): a list of
  students `{"etudid", "code_nip", "code_ine", "etat", "rcues": [{"ue_1": {"ue_id", "moy", "code"}, "ue_2": {…},
  "moy", "code"}], "ues": [{"ue_id", "code", "ects"}], "annee": {"code", "ordre", "annee_scolaire"}, …}`. It
  names no UE code: each `ue_id` is mapped to a UE of the programme by the position of its RCUE in the list (ScoDoc
  orders them by competence) and `ue_1`/`ue_2` for the odd and even semester; the preview shows the mapping and a
  hand-made one (`ue_id` -> UE code) replaces it where needed.

Both give `PastRow`s; everything read is bounded first.
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

MAX_JSON_BYTES = 5 * 1024 * 1024
MAX_STUDENTS = 5000
UE, RCUE, YEAR = "ue", "rcue", "year"
YEAR_WORDS = {"année", "annee", "year"}
HEADERS = {"nip": "nip", "ine": "ine", "objet": "subject", "code": "code", "moyenne": "average", "origine": "origin"}

JSON_TOO_LARGE = "Fichier JSON trop volumineux ({size} octets ; au plus {limit})."
JSON_INVALID = "Fichier illisible : ce n'est pas du JSON ({detail})."
JSON_NOT_LIST = "Ce n'est pas la réponse de ScoDoc à decisions_jury : une liste d'étudiants est attendue."
JSON_STUDENT = "étudiant n° {index} : {detail}"
NO_HEADER = "ligne 1 : en-tête attendu avec au moins les colonnes NIP ou INE, objet et code (trouvé : {found})"
ROW_NO_STUDENT = "ligne {row} : ni NIP ni INE"
ROW_NO_SUBJECT = "ligne {row} : objet vide (code d'UE, clé de RCUE comme C1-1, ou « année »)"
ROW_BAD_AVERAGE = "ligne {row} : moyenne « {value} » illisible (un nombre entre 0 et 20 attendu)"
UE_ID_UNMAPPED = "ue_id {ue_id} (étudiant {who}) : aucune UE du programme à cette place ; indiquez-la à la main"


class PastResultsError(ValueError):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class PastRow:
    """One earlier result: a UE (kept as an external validation), an RCUE or a year decision (shown only)."""

    where: str  # "ligne 4", "étudiant n° 2"
    nip: str
    ine: str
    kind: str  # UE, RCUE, YEAR
    subject: str  # UE code, RCUE key, or the BUT year ("1")
    code: str
    average: Decimal | None = None
    origin: str = ""


def _average(value, where: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise PastResultsError([ROW_BAD_AVERAGE.format(row=where, value=value)]) from None
    if not (0 <= number <= 20) or not number.is_finite():
        raise PastResultsError([ROW_BAD_AVERAGE.format(row=where, value=value)])
    return number.quantize(Decimal("0.001"))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def rows_from_table(table: Sequence[tuple]) -> list[PastRow]:
    """Return the rows of a spreadsheet (its first row the header), or raise naming every bad row."""
    if not table:
        raise PastResultsError([NO_HEADER.format(found="rien")])
    header = [_text(c).casefold() for c in table[0]]
    columns = {HEADERS[h]: i for i, h in enumerate(header) if h in HEADERS}
    if not {"subject", "code"} <= set(columns) or not ({"nip", "ine"} & set(columns)):
        raise PastResultsError([NO_HEADER.format(found=", ".join(h for h in header if h) or "rien")])
    rows, errors = [], []
    for number, raw in enumerate(table[1:], start=2):
        cells = {name: _text(raw[i]) if i < len(raw) else "" for name, i in columns.items()}
        if not any(cells.values()):
            continue
        where = f"ligne {number}"
        if not cells.get("nip") and not cells.get("ine"):
            errors.append(ROW_NO_STUDENT.format(row=number))
            continue
        subject = cells["subject"]
        if not subject:
            errors.append(ROW_NO_SUBJECT.format(row=number))
            continue
        try:
            average = _average(raw[columns["average"]] if "average" in columns and columns["average"] < len(raw)
                               else None, str(number))
        except PastResultsError as exc:
            errors += exc.errors
            continue
        kind = YEAR if subject.casefold() in YEAR_WORDS else RCUE if subject[:1] == "C" and "-" in subject else UE
        rows.append(PastRow(where=where, nip=cells.get("nip", ""), ine=cells.get("ine", ""), kind=kind,
                            subject="" if kind == YEAR else subject, code=cells["code"].upper(), average=average,
                            origin=cells.get("origin", "")))
    if errors:
        raise PastResultsError(errors)
    return rows


@dataclass(frozen=True)
class ScodocStudent:
    index: int
    nip: str
    ine: str
    state: str  # I, D, DEF
    year: int | None
    year_code: str
    academic_year: str
    rcues: tuple[dict, ...]
    ues: tuple[dict, ...]


def read_scodoc_json(data: bytes) -> list[ScodocStudent]:
    """Return the students of a decisions_jury answer, bounded, or raise saying what is wrong."""
    if len(data) > MAX_JSON_BYTES:
        raise PastResultsError([JSON_TOO_LARGE.format(size=len(data), limit=MAX_JSON_BYTES)])
    try:
        payload = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise PastResultsError([JSON_INVALID.format(detail=exc)]) from None
    if not isinstance(payload, list) or len(payload) > MAX_STUDENTS:
        raise PastResultsError([JSON_NOT_LIST])
    students, errors = [], []
    for index, item in enumerate(payload, start=1):
        if not isinstance(item, dict):
            errors.append(JSON_STUDENT.format(index=index, detail="objet attendu"))
            continue
        annee = item.get("annee") if isinstance(item.get("annee"), dict) else {}
        rcues, ues = item.get("rcues") or [], item.get("ues") or []
        if not isinstance(rcues, list) or not isinstance(ues, list) or not all(
                isinstance(x, dict) for x in (*rcues, *ues)):
            errors.append(JSON_STUDENT.format(index=index, detail="« rcues » et « ues » doivent être des listes"))
            continue
        order = annee.get("ordre")
        students.append(ScodocStudent(
            index=index, nip=_text(item.get("code_nip")), ine=_text(item.get("code_ine")),
            state=_text(item.get("etat")) or "I", year=int(order) if str(order).isdigit() else None,
            year_code=_text(annee.get("code")).upper(), academic_year=_text(annee.get("annee_scolaire")),
            rcues=tuple(rcues), ues=tuple(ues)))
    if errors:
        raise PastResultsError(errors)
    return students


def proposed_mapping(students: Sequence[ScodocStudent], *, year_ues: Mapping[int, Sequence[tuple[str, str]]]
                     ) -> dict[str, str]:
    """Map each ue_id to a UE code: the i-th RCUE's ue_1 to the odd semester's UE of the i-th competence, ue_2 to
    the even one's. `year_ues[year]` lists (odd UE code, even UE code) per competence, in competence order."""
    mapping: dict[str, str] = {}
    for student in students:
        pairs = year_ues.get(student.year or 0, ())
        for position, rcue in enumerate(student.rcues):
            if position >= len(pairs):
                break
            for side, code in (("ue_1", pairs[position][0]), ("ue_2", pairs[position][1])):
                ue = rcue.get(side)
                if isinstance(ue, dict) and ue.get("ue_id") is not None:
                    mapping.setdefault(str(ue["ue_id"]), code)
    return mapping


def scodoc_ue_ids(students: Sequence[ScodocStudent]) -> dict[str, str]:
    """Return every ue_id the answer names, in the order first met, with where (« RCUE n° 2, ue_1 (semestre
    impair) », « liste des UE »), for whoever maps them by hand."""
    found: dict[str, str] = {}
    sides = {"ue_1": "ue_1 (semestre impair)", "ue_2": "ue_2 (semestre pair)"}
    for student in students:
        for position, rcue in enumerate(student.rcues, start=1):
            for side, label in sides.items():
                ue = rcue.get(side)
                if isinstance(ue, dict) and ue.get("ue_id") is not None:
                    found.setdefault(str(ue["ue_id"]), f"RCUE n° {position}, {label}")
        for ue in student.ues:
            if ue.get("ue_id") is not None:
                found.setdefault(str(ue["ue_id"]), "liste des UE seulement")
    return found


def rows_from_scodoc(students: Sequence[ScodocStudent], *, mapping: Mapping[str, str],
                     rcue_keys: Mapping[int, Sequence[str]]) -> list[PastRow]:
    """Return the UE rows (mapped by `mapping`), the RCUE rows and the year rows of a decisions_jury answer."""
    rows, errors = [], []
    for student in students:
        where, who = f"étudiant n° {student.index}", student.nip or student.ine or f"n° {student.index}"
        origin = f"ScoDoc {student.academic_year}".strip()
        ects_code = {str(u.get("ue_id")): _text(u.get("code")).upper() for u in student.ues}
        seen = set()
        for position, rcue in enumerate(student.rcues):
            for side in ("ue_1", "ue_2"):
                ue = rcue.get(side)
                if not isinstance(ue, dict) or ue.get("ue_id") is None:
                    continue
                ue_id = str(ue["ue_id"])
                seen.add(ue_id)
                code = ects_code.get(ue_id) or _text(ue.get("code")).upper()
                if ue_id not in mapping:
                    errors.append(UE_ID_UNMAPPED.format(ue_id=ue_id, who=who))
                elif code:
                    try:
                        average = _average(ue.get("moy"), where)
                    except PastResultsError as exc:
                        errors += exc.errors
                        continue
                    rows.append(PastRow(where=where, nip=student.nip, ine=student.ine, kind=UE,
                                        subject=mapping[ue_id], code=code, average=average, origin=origin))
            keys = rcue_keys.get(student.year or 0, ())
            if _text(rcue.get("code")) and position < len(keys):
                rows.append(PastRow(where=where, nip=student.nip, ine=student.ine, kind=RCUE, subject=keys[position],
                                    code=_text(rcue.get("code")).upper(), average=None, origin=origin))
        for ue in student.ues:  # UEs in no RCUE (a bonus UE, a UE of a competence left alone)
            ue_id = str(ue.get("ue_id"))
            if ue_id in seen or not _text(ue.get("code")):
                continue
            if ue_id not in mapping:
                errors.append(UE_ID_UNMAPPED.format(ue_id=ue_id, who=who))
                continue
            rows.append(PastRow(where=where, nip=student.nip, ine=student.ine, kind=UE, subject=mapping[ue_id],
                                code=_text(ue.get("code")).upper(), origin=origin))
        if student.year_code:
            rows.append(PastRow(where=where, nip=student.nip, ine=student.ine, kind=YEAR,
                                subject=str(student.year or ""), code=student.year_code, origin=origin))
    if errors:
        raise PastResultsError(errors)
    return rows
