"""Bounded reading of uploaded spreadsheets (.xlsx, .csv): no file can hold a worker, its memory or its time.

Every limit is checked before the cells are read: the file size, the size the .xlsx unpacks to (a 7 KB file
may unpack to gigabytes), the shared strings and styles openpyxl parses whole (grading/spreadsheet_parts.py), each
sheet's declared dimension. Cells are then read in openpyxl's read-only mode
(streamed, never the whole sheet in memory) and never past the limits, so a file whose dimension lies stops
there too. CSV text is decoded strictly: UTF-8 (with or without BOM), else Windows-1252 for the whole file;
a file mixing both, or in neither, is refused with the line number rather than read garbled.

Formula cells come back as `Formula` (their text and the value last computed by the spreadsheet program, if
stored), so that each caller decides what a formula may stand for.
"""
import codecs
import csv
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import WorkSheetParser  # the parser openpyxl's read-only sheets use

from grading.spreadsheet_parts import PartRefused, parts_check

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 30 * 1024 * 1024
MAX_ZIP_MEMBERS = 500
MAX_ROWS = 5000
MAX_COLUMNS = 50
MAX_LISTED_ERRORS = 100

NOT_A_SPREADSHEET = "Ce fichier n'est pas un tableur lisible (.xlsx attendu{csv}) : {name}."
FILE_TOO_BIG = "Fichier trop volumineux ({size} Mo) : 5 Mo au plus."
UNPACKED_TOO_BIG = ("Ce tableur se décompresse en {size} Mo (30 Mo au plus) : ce n'est pas une feuille de notes "
                    "ni une liste d'étudiants. Copiez les seules lignes utiles dans un nouveau classeur.")
SHEET_TOO_LARGE = ("La feuille « {sheet} » s'étend sur {rows} lignes et {columns} colonnes ({ref}) : "
                   f"{MAX_ROWS:,} lignes et {MAX_COLUMNS} colonnes au plus. Une cellule remplie ou mise en forme "
                   "loin en bas ou à droite suffit : supprimez les lignes et colonnes inutiles.").replace(",", "\u00a0")
TOO_MANY_ROWS = f"Le fichier compte plus de {MAX_ROWS:,} lignes : {MAX_ROWS:,} au plus.".replace(",", "\u00a0")
TOO_MANY_COLUMNS = f"Ligne {{line}} : plus de {MAX_COLUMNS} colonnes ({MAX_COLUMNS} au plus)."
NUL_BYTE = "Ligne {line} : caractère nul, ce n'est pas un fichier texte CSV."
NOT_TEXT = ("Ligne {line} : ce fichier n'est ni en UTF-8 ni en Windows-1252 (octet 0x{byte:02X} illisible). "
            "Enregistrez-le au format « CSV UTF-8 ».")
MIXED_ENCODINGS = ("Ce fichier mélange deux encodages : la ligne {utf8_line} est en UTF-8, la ligne {other_line} "
                   "en Windows-1252. Rien n'a été lu, pour ne pas déformer les noms : enregistrez-le au format "
                   "« CSV UTF-8 ».")
CSV_UNREADABLE = "Ligne {line} : CSV illisible ({problem})."
MORE_ERRORS = "… et {count} autres"

# A UTF-8 multibyte sequence: in a file that is not UTF-8 as a whole, one of these means UTF-8 text was mixed in.
UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def thousands(number: int) -> str:
    """Return an integer the French way: 4 321 (no-break space)."""
    return f"{number:,}".replace(",", "\u00a0")


def capped_errors(errors: list[str]) -> list[str]:
    """Return the first MAX_LISTED_ERRORS errors, then one line counting the others."""
    if len(errors) <= MAX_LISTED_ERRORS:
        return list(errors)
    return errors[:MAX_LISTED_ERRORS] + [MORE_ERRORS.format(count=thousands(len(errors) - MAX_LISTED_ERRORS))]


@dataclass(frozen=True)
class Formula:
    """A formula cell: its text, the value last computed and stored by the spreadsheet program (or None)."""

    text: str
    cached: object
    coordinate: str


@dataclass
class Table:
    """The rows of a file's first sheet (and of the other sheets asked for), or why it was refused."""

    rows: list[tuple] = field(default_factory=list)
    sheets: dict[str, list[tuple]] = field(default_factory=dict)
    error: str | None = None


def read_table(file, *, allow_csv: bool, extra_sheets: tuple[str, ...] = ()) -> Table:
    """Read an uploaded .xlsx (or .csv) within the limits; never raise on a foreign or hostile file."""
    name = getattr(file, "name", "") or "fichier"
    data = file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        size = getattr(file, "size", None) or len(data)
        return Table(error=FILE_TOO_BIG.format(size=f"{size / 1024 / 1024:.1f}".replace(".", ",")))
    if allow_csv and name.lower().endswith(".csv"):
        return _read_csv(data)
    return _read_xlsx(data, name=name, csv_hint=" ou .csv" if allow_csv else "", extra_sheets=extra_sheets)


# ---------------------------------------------------------------- .xlsx


class _Refused(Exception):
    """A limit or a format problem found while reading: its message is for the user."""


def _read_xlsx(data: bytes, *, name: str, csv_hint: str, extra_sheets: tuple[str, ...]) -> Table:
    not_readable = NOT_A_SPREADSHEET.format(csv=csv_hint, name=name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        return Table(error=not_readable)
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_UNPACKED_BYTES or len(members) > MAX_ZIP_MEMBERS:
        return Table(error=UNPACKED_TOO_BIG.format(size=thousands(unpacked // (1024 * 1024))))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts_check(archive)  # shared strings and styles, which openpyxl parses whole, bounded first
    except PartRefused as refused:
        return Table(error=str(refused))
    try:
        _prescan(data)
        with warnings.catch_warnings():
            # openpyxl warns about what it does not keep (extensions, styles); none of it matters to a reading.
            warnings.simplefilter("ignore")
            table = _read_sheets(data, extra_sheets=extra_sheets)
    except _Refused as refused:
        return Table(error=str(refused))
    except Exception:  # whatever a foreign file makes openpyxl or zipfile raise, it is not a usable spreadsheet
        return Table(error=not_readable)
    return table


def _read_sheets(data: bytes, *, extra_sheets: tuple[str, ...]) -> Table:
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        names = [workbook.worksheets[0].title] + [n for n in extra_sheets if n in workbook.sheetnames]
        sheets = {n: _bounded_rows(workbook[n]) for n in names}
    finally:
        workbook.close()
    formulas = {(n, f.coordinate) for n, rows in sheets.items() for row in rows for f in row
                if isinstance(f, Formula)}
    if formulas:
        sheets = _with_cached_values(data, sheets)
    first = names[0]
    return Table(rows=sheets[first], sheets={n: rows for n, rows in sheets.items() if n != first})


def _prescan(data: bytes) -> None:
    """Refuse a sheet without a declared dimension that holds too many rows, before openpyxl opens the file.

    Opening a sheet, openpyxl looks for its `<dimension>`; when there is none it parses the whole sheet to
    find out. Here every worksheet part is streamed instead, and left as soon as its dimension shows, its
    rows exceed the limit, or it proves not to be a worksheet.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.infolist():
            if member.filename.endswith(".xml"):
                with archive.open(member) as source:
                    _prescan_part(source)


def _prescan_part(source) -> None:
    parser = ElementTree.XMLPullParser(events=("start", "end"))
    rows, root = 0, None
    while chunk := source.read(64 * 1024):
        parser.feed(chunk)
        for event, element in parser.read_events():
            tag = element.tag.rsplit("}", 1)[-1]
            if root is None:
                root = tag
                if root != "worksheet":
                    return  # shared strings, styles…: openpyxl reads them whole, within the unpacked limit
            if event == "start" and tag == "dimension":
                return  # openpyxl reads it and stops; `_check_dimension` checks it
            if event == "end" and tag == "row":
                rows += 1
                if rows > MAX_ROWS or int(element.get("r") or 0) > MAX_ROWS:
                    raise _Refused(TOO_MANY_ROWS)
                element.clear()
            if event == "end" and tag == "sheetData":
                return


def _check_dimension(ws) -> None:
    """Refuse a sheet whose declared dimension exceeds the limits, before reading any cell."""
    max_row, max_column = ws.max_row or 0, ws.max_column or 0
    if max_row > MAX_ROWS or max_column > MAX_COLUMNS:
        ref = f"A1:{get_column_letter(max(max_column, 1))}{max(max_row, 1)}"
        raise _Refused(SHEET_TOO_LARGE.format(sheet=ws.title, rows=thousands(max_row),
                                              columns=thousands(max_column), ref=ref))


def _bounded_rows(ws) -> list[tuple]:
    """Read a sheet's values row by row, refusing a row or a filled column past the limits as soon as it comes.

    openpyxl's own row iterator pads missing rows (a cell at row 1 048 576 means a million empty rows first);
    its parser yields only the rows the file holds, so a far cell is refused without any padding.
    """
    _check_dimension(ws)
    rows: list[tuple] = []
    workbook = ws.parent
    with ws._get_source() as source:
        parser = WorkSheetParser(source, ws._shared_strings, data_only=workbook.data_only, epoch=workbook.epoch,
                                 date_formats=workbook._date_formats,
                                 timedelta_formats=workbook._timedelta_formats)
        for index, cells in parser.parse():
            if index > MAX_ROWS:
                raise _Refused(TOO_MANY_ROWS)
            values = [None] * MAX_COLUMNS
            for cell in cells:
                column = cell["column"]
                if column > MAX_COLUMNS:
                    if cell["value"] not in (None, ""):
                        raise _Refused(TOO_MANY_COLUMNS.format(line=index))
                    continue
                value = cell["value"]
                if cell["data_type"] == "f":
                    value = Formula(text=str(getattr(value, "text", value) or ""), cached=None,
                                    coordinate=f"{get_column_letter(column)}{index}")
                values[column - 1] = value
            rows.extend([(None,) * MAX_COLUMNS] * (index - 1 - len(rows)))  # rows the file leaves out
            rows.append(tuple(values))
    while rows and not any(v not in (None, "") for v in rows[-1]):
        rows.pop()
    return rows


def _with_cached_values(data: bytes, sheets: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """Read the file again for the values its formulas last computed (openpyxl gives one or the other)."""
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        result = {}
        for name, rows in sheets.items():
            cached = _bounded_rows(workbook[name])
            result[name] = [
                tuple(Formula(text=v.text, cached=_at(cached, r, c), coordinate=v.coordinate)
                      if isinstance(v, Formula) else v for c, v in enumerate(row))
                for r, row in enumerate(rows)]
    finally:
        workbook.close()
    return result


def _at(rows: list[tuple], r: int, c: int):
    return rows[r][c] if r < len(rows) and c < len(rows[r]) else None


# ---------------------------------------------------------------- .csv


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_csv(data: bytes) -> tuple[str | None, str | None]:
    """Return (text, None) or (None, error): UTF-8 with or without BOM, else Windows-1252 for the whole file.

    A file that is not UTF-8 as a whole but holds UTF-8 sequences mixes both encodings: decoding it either
    way would garble some names (`Ã‰lÃ©onore`), so it is refused, naming a line of each.
    """
    if b"\x00" in data:
        return None, NUL_BYTE.format(line=_line_of(data, data.index(b"\x00")))
    has_bom = data.startswith(codecs.BOM_UTF8)
    body = data[len(codecs.BOM_UTF8):] if has_bom else data
    try:
        return body.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        other_line = _line_of(body, exc.start)
    utf8 = UTF8_SEQUENCE.search(body)
    if utf8 is not None or has_bom:
        utf8_line = _line_of(body, utf8.start()) if utf8 is not None else 1
        return None, MIXED_ENCODINGS.format(utf8_line=utf8_line, other_line=other_line)
    try:
        return body.decode("cp1252"), None
    except UnicodeDecodeError as exc:
        return None, NOT_TEXT.format(line=_line_of(body, exc.start), byte=body[exc.start])


def _read_csv(data: bytes) -> Table:
    text, error = decode_csv(data)
    if error:
        return Table(error=error)
    first = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first and first.count(";") >= first.count(",") else ","
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            if len(rows) == MAX_ROWS:
                return Table(error=TOO_MANY_ROWS)
            if len(row) > MAX_COLUMNS:
                return Table(error=TOO_MANY_COLUMNS.format(line=reader.line_num))
            rows.append(tuple(row))
    except csv.Error as exc:
        return Table(error=CSV_UNREADABLE.format(line=reader.line_num, problem=exc))
    return Table(rows=rows)
