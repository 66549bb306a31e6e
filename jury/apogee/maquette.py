"""The Apogée « maquette » file: read it, check it, fill it with results, write it back. Pure Python, no Django.

The scolarité downloads a maquette for an étape from Apogée; the application fills the students' cells and gives
it back. The file is text, tab-separated, CRLF, usually ISO-8859-1 (UTF-8 is detected), in four sections:

    XX-APO_TITRES-XX       apoC_annee<TAB>2025/2026, apoC_cod_dip…, apoC_Titre2
    XX-APO_TYP_RES-XX      the result codes the Apogée instance accepts (with their labels)
    XX-APO_COLONNES-XX     apoL_a01_code…apoL_a04_naissance, APO_COL_VAL_DEB, then one line per value column
                           apoL_c0001<TAB>ELP|VET|EPR<TAB>code<TAB>version<TAB>année<TAB>session<TAB>admission
                           <TAB>N|B|J|R<TAB>label…, then APO_COL_VAL_FIN
    XX-APO_VALEURS-XX      a header of column keys, then one line per student: NIP first, values in column order

Only the cells written change: every other line keeps its bytes (its own line ending, the same encoding). A value
row whose field count differs from the header's is refused, naming the line, rather than written askew.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from grading.engine.rounding import fmt

MAX_BYTES = 10 * 1024 * 1024
MAX_LINES = 20_000
MAX_COLUMNS = 2_000

TITLES, RESULT_TYPES = "XX-APO_TITRES-XX", "XX-APO_TYP_RES-XX"
COLUMNS, VALUES = "XX-APO_COLONNES-XX", "XX-APO_VALEURS-XX"
SECTIONS = (TITLES, RESULT_TYPES, COLUMNS, VALUES)
NOTE, SCALE, JURY_POINTS, RESULT = "N", "B", "J", "R"
SCALE_VALUE = "20"
COLUMN_KEY = re.compile(r"^apoL_c\d{4}$")
_CODE = re.compile(r"^[A-Z][A-Z0-9]{0,7}$")

TOO_LARGE = "Maquette trop volumineuse ({size} octets ; au plus {limit})."
TOO_MANY_LINES = "Maquette refusée : plus de {limit} lignes."
TOO_MANY_COLUMNS = "Maquette refusée, ligne {line} : plus de {limit} colonnes."
NOT_TEXT = "Maquette illisible : ce n'est pas un fichier texte."
SECTION_MISSING = "Ce n'est pas une maquette Apogée : section {section} absente."
SECTION_ORDER = "Maquette refusée : les sections ne sont pas dans l'ordre {order}."
BAD_COLUMN = "Maquette refusée, ligne {line} : colonne {key} mal formée ({detail})."
NO_HEADER = "Maquette refusée : la section XX-APO_VALEURS-XX n'a pas de ligne d'en-tête (apoL_a01_code…)."
HEADER_UNKNOWN = "Maquette refusée, ligne {line} : l'en-tête nomme la colonne {key}, absente de XX-APO_COLONNES-XX."
HEADER_MISSING = "Maquette refusée, ligne {line} : la colonne {key} décrite plus haut manque dans l'en-tête."
ROW_MISMATCH = ("Maquette refusée, ligne {line} (NIP {nip}) : {count} champ(s) alors que l'en-tête en a {expected} "
                "(nom et prénom fusionnés ?). Aucune valeur n'a été écrite ; corrigez la ligne dans Apogée ou le "
                "fichier.")
DUPLICATE_NIP = "Maquette refusée, lignes {first} et {line} : le NIP {nip} y figure deux fois."


class MaquetteError(ValueError):
    """The file is not a maquette this module accepts; the French message says why and which line."""


@dataclass(frozen=True)
class Column:
    key: str  # apoL_c0001
    line: int  # 1-based line number of its description
    object_type: str  # ELP, VET, EPR
    code: str
    version: str
    year: str
    session: str
    admission: str
    kind: str  # N, B, J, R
    label: str


@dataclass(frozen=True)
class Value:
    """What one element receives for one student: its average (N, with 20 in B) and its result code (R)."""

    average: Decimal | None = None
    code: str = ""


@dataclass
class Maquette:
    encoding: str
    lines: list[str]  # each with its own line ending, decoded
    titles: dict[str, str]
    accepted_codes: frozenset[str]
    columns: tuple[Column, ...]
    header: tuple[str, ...]
    header_line: int  # index in `lines`
    rows: dict[str, int]  # NIP -> index in `lines`
    student_names: dict[str, str] = field(default_factory=dict)  # NIP -> "NOM Prénom"

    @property
    def element_codes(self) -> frozenset[str]:
        return frozenset(c.code for c in self.columns if c.code)


@dataclass
class FillReport:
    students_filled: list[str] = field(default_factory=list)  # NIPs
    cells_written: int = 0
    not_accepted: list[tuple[str, str, str]] = field(default_factory=list)  # (NIP, element, code) not in TYP_RES
    elements_absent: list[str] = field(default_factory=list)  # element codes given but with no column in the file


def format_average(value: Decimal) -> str:
    """12.345 -> "12,35": Apogée's grade, two decimals rounded half-up (the engine's one rounding, R6), decimal
    comma."""
    return fmt(value, ",")


def decode(data: bytes) -> tuple[str, str]:
    """Return the text and its encoding: UTF-8 (with or without BOM) when the bytes are valid UTF-8, else ISO-8859-1."""
    if b"\x00" in data:
        raise MaquetteError(NOT_TEXT)
    if data.startswith(b"\xef\xbb\xbf"):
        return data.decode("utf-8-sig"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("iso-8859-1"), "iso-8859-1"


def _content(line: str) -> str:
    return line.rstrip("\r\n")


def read_maquette(data: bytes) -> Maquette:
    """Return the maquette the bytes hold, or raise MaquetteError naming the line at fault."""
    if len(data) > MAX_BYTES:
        raise MaquetteError(TOO_LARGE.format(size=len(data), limit=MAX_BYTES))
    text, encoding = decode(data)
    lines = re.split(r"(?<=\n)", text)
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) > MAX_LINES:
        raise MaquetteError(TOO_MANY_LINES.format(limit=MAX_LINES))
    starts = {}
    for index, line in enumerate(lines):
        content = _content(line).strip()
        if content in SECTIONS and content not in starts:
            starts[content] = index
    for section in SECTIONS:
        if section not in starts:
            raise MaquetteError(SECTION_MISSING.format(section=section))
    if [starts[s] for s in SECTIONS] != sorted(starts[s] for s in SECTIONS):
        raise MaquetteError(SECTION_ORDER.format(order=", ".join(SECTIONS)))

    def section(name: str, end: str | None) -> range:
        return range(starts[name] + 1, starts[end] if end else len(lines))

    titles = {}
    for index in section(TITLES, RESULT_TYPES):
        fields = _content(lines[index]).split("\t")
        if fields[0].startswith("apoC_"):
            titles[fields[0]] = fields[1] if len(fields) > 1 else ""
    accepted = frozenset(token.strip() for index in section(RESULT_TYPES, COLUMNS)
                         for token in _content(lines[index]).split("\t") if _CODE.match(token.strip()))
    columns = _columns(lines, section(COLUMNS, VALUES))
    maquette = Maquette(encoding=encoding, lines=lines, titles=titles, accepted_codes=accepted, columns=columns,
                        header=(), header_line=-1, rows={})
    _values(maquette, section(VALUES, None))
    return maquette


def _columns(lines: list[str], indexes: range) -> tuple[Column, ...]:
    columns = []
    for index in indexes:
        fields = _content(lines[index]).split("\t")
        key = fields[0].strip()
        if not COLUMN_KEY.match(key) or (len(fields) > 1 and fields[1].strip() == "APO_COL_VAL_FIN"):
            continue
        if len(fields) > MAX_COLUMNS:
            raise MaquetteError(TOO_MANY_COLUMNS.format(line=index + 1, limit=MAX_COLUMNS))
        if len(fields) < 8:
            detail = f"{len(fields)} champ(s), 8 au moins"
            raise MaquetteError(BAD_COLUMN.format(line=index + 1, key=key, detail=detail))
        kind = fields[7].strip()
        if kind not in (NOTE, SCALE, JURY_POINTS, RESULT):
            raise MaquetteError(BAD_COLUMN.format(line=index + 1, key=key, detail=f"type « {kind} » ni N, B, J, R"))
        columns.append(Column(key=key, line=index + 1, object_type=fields[1].strip(), code=fields[2].strip(),
                              version=fields[3].strip(), year=fields[4].strip(), session=fields[5].strip(),
                              admission=fields[6].strip(), kind=kind,
                              label=fields[8].strip() if len(fields) > 8 else ""))
    if len(columns) > MAX_COLUMNS:
        raise MaquetteError(TOO_MANY_COLUMNS.format(line=indexes.stop, limit=MAX_COLUMNS))
    return tuple(columns)


def _values(maquette: Maquette, indexes: range) -> None:
    lines = maquette.lines
    header_index = next((i for i in indexes if _content(lines[i]).startswith("apoL_a01_code")), None)
    if header_index is None:
        raise MaquetteError(NO_HEADER)
    header = tuple(f.strip() for f in _content(lines[header_index]).split("\t"))
    if len(header) > MAX_COLUMNS:
        raise MaquetteError(TOO_MANY_COLUMNS.format(line=header_index + 1, limit=MAX_COLUMNS))
    described = {c.key for c in maquette.columns}
    for key in header:
        if COLUMN_KEY.match(key) and key not in described:
            raise MaquetteError(HEADER_UNKNOWN.format(line=header_index + 1, key=key))
    for column in maquette.columns:
        if column.key not in header:
            raise MaquetteError(HEADER_MISSING.format(line=header_index + 1, key=column.key))
    maquette.header, maquette.header_line = header, header_index
    for index in range(header_index + 1, indexes.stop):
        content = _content(lines[index])
        if not content.strip():
            continue
        fields = content.split("\t")
        nip = fields[0].strip()
        if len(fields) != len(header):
            raise MaquetteError(ROW_MISMATCH.format(line=index + 1, nip=nip or "vide", count=len(fields),
                                                    expected=len(header)))
        if nip in maquette.rows:
            raise MaquetteError(DUPLICATE_NIP.format(first=maquette.rows[nip] + 1, line=index + 1, nip=nip))
        maquette.rows[nip] = index
        maquette.student_names[nip] = " ".join(f.strip() for f in fields[1:3] if f.strip())


def fill(maquette: Maquette, values: Mapping[str, Mapping[str, Value]]) -> FillReport:
    """Write, for each NIP of `values` found in the file, each element's columns: N its average, B 20, R its code.

    J (points jury) is left as it is; an average or code absent (None, "") leaves its cell as it is; a code the
    instance does not accept (XX-APO_TYP_RES-XX, when that section lists codes) is reported, not written.
    """
    report = FillReport()
    position = {key: i for i, key in enumerate(maquette.header)}
    by_code: dict[str, list[Column]] = {}
    for column in maquette.columns:
        by_code.setdefault(column.code, []).append(column)
    absent = set()
    for nip, elements in values.items():
        index = maquette.rows.get(nip)
        if index is None:
            continue
        line = maquette.lines[index]
        content = _content(line)
        fields = content.split("\t")
        before = list(fields)
        for element, value in elements.items():
            columns = by_code.get(element)
            if not columns:
                absent.add(element)
                continue
            for column in columns:
                cell = _cell(column.kind, value)
                if column.kind == RESULT and cell and maquette.accepted_codes and cell not in maquette.accepted_codes:
                    report.not_accepted.append((nip, element, cell))
                    continue
                if cell is not None and cell != "":
                    fields[position[column.key]] = cell
        if fields != before:
            report.cells_written += sum(1 for a, b in zip(before, fields, strict=True) if a != b)
            maquette.lines[index] = "\t".join(fields) + line[len(content):]
        report.students_filled.append(nip)
    report.elements_absent = sorted(absent)
    return report


def _cell(kind: str, value: Value) -> str | None:
    if kind == NOTE:
        return format_average(value.average) if value.average is not None else None
    if kind == SCALE:
        return SCALE_VALUE if value.average is not None else None
    if kind == RESULT:
        return value.code or None
    return None  # J: points jury, never written


def write_maquette(maquette: Maquette) -> bytes:
    """Return the file's bytes, in the encoding it was read in, every untouched line as it was."""
    return "".join(maquette.lines).encode(maquette.encoding)
