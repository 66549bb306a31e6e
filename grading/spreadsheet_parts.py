"""Limits on the parts of an .xlsx that openpyxl reads whole before any cell: the shared strings and the styles.

A 70 KB file can hold 1,65 million shared strings (28 MB unpacked) or 500 000 cell styles: openpyxl would take
tens of seconds and hundreds of MB to parse them. Each part is streamed here first, counting its entries and the
text it holds, and left as soon as a limit is passed, so the refusal costs a fraction of a second.
"""
import zipfile
from xml.etree import ElementTree

MAX_SHARED_STRINGS = 100_000  # a full 5 000 × 50 sheet of distinct texts is rare; a department's lists are far less
MAX_SHARED_TEXT_BYTES = 8 * 1024 * 1024
MAX_STYLES_BYTES = 2 * 1024 * 1024
MAX_STYLE_ENTRIES = 5_000  # cell formats, fonts, fills, borders, number formats, differential formats

TOO_MANY_STRINGS = ("Ce tableur contient plus de {limit} textes différents : ce n'est pas une feuille de notes ni une "
                    "liste d'étudiants. Copiez les seules lignes utiles dans un nouveau classeur.")
TOO_MUCH_TEXT = ("Les textes de ce tableur dépassent {limit} Mo : copiez les seules lignes utiles dans un nouveau "
                 "classeur.")
TOO_MANY_STYLES = ("Ce tableur déclare plus de {limit} styles de cellule (styles.xml) : copiez les seules valeurs "
                   "utiles dans un nouveau classeur (collage « valeurs seulement »).")
STYLES_TOO_BIG = ("La feuille de styles de ce tableur (styles.xml) dépasse {limit} Mo : copiez les seules valeurs "
                  "utiles.")
STYLE_ENTRIES = {"xf", "font", "fill", "border", "numFmt", "dxf", "cellStyle"}


class PartRefused(Exception):
    """A part past its limit; the message is for the user."""


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", "\u00a0")


def parts_check(archive: zipfile.ZipFile) -> None:
    """Raise PartRefused if the shared strings or the styles of the workbook pass their limits."""
    for member in archive.infolist():
        name = member.filename.lower()
        if name.endswith("sharedstrings.xml"):
            with archive.open(member) as source:
                _strings_check(source)
        elif name.endswith("styles.xml"):
            if member.file_size > MAX_STYLES_BYTES:  # zipfile never unpacks past the declared size
                raise PartRefused(STYLES_TOO_BIG.format(limit=MAX_STYLES_BYTES // (1024 * 1024)))
            with archive.open(member) as source:
                _styles_check(source)


def _elements(source):
    """Yield the local tag and element of every closed element of a streamed XML part, freeing each one."""
    parser = ElementTree.XMLPullParser(events=("end",))
    while chunk := source.read(64 * 1024):
        parser.feed(chunk)
        for _event, element in parser.read_events():
            yield element.tag.rsplit("}", 1)[-1], element
            element.clear()


def _strings_check(source) -> None:
    count = text = 0
    for tag, element in _elements(source):
        if tag == "t":
            text += len((element.text or "").encode())
            if text > MAX_SHARED_TEXT_BYTES:
                raise PartRefused(TOO_MUCH_TEXT.format(limit=MAX_SHARED_TEXT_BYTES // (1024 * 1024)))
        elif tag == "si":
            count += 1
            if count > MAX_SHARED_STRINGS:
                raise PartRefused(TOO_MANY_STRINGS.format(limit=_thousands(MAX_SHARED_STRINGS)))


def _styles_check(source) -> None:
    count = 0
    for tag, _element in _elements(source):
        if tag in STYLE_ENTRIES:
            count += 1
            if count > MAX_STYLE_ENTRIES:
                raise PartRefused(TOO_MANY_STYLES.format(limit=_thousands(MAX_STYLE_ENTRIES)))
