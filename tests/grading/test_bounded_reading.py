"""The server stays up: oversize and hostile files are refused at once, in bounded time and memory, with a French
message, on the pages and by `import_grades --dry-run` (never a traceback). Error lists are capped.

Time is CPU time of this process and memory the tracemalloc peak, both asserted loosely (seconds, hundreds of
MB): before these limits, the 7 KB file below held a worker 30 s and 1.6 GB.
"""
import io
import re
import struct
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook

from grading import spreadsheet_reading as reading
from grading.models import Grade, Student
from tests.grading.conftest import xlsx_bytes

pytestmark = pytest.mark.django_db
CPU_SECONDS = 2
PEAK_BYTES = 200 * 1024 * 1024


class Bounded:
    """Measure the CPU time and the peak of Python memory of a block."""

    def __enter__(self):
        tracemalloc.start()
        self.started = time.process_time()
        return self

    def __exit__(self, *exc):
        self.seconds = time.process_time() - self.started
        _, self.peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

    def check(self):
        assert self.seconds < CPU_SECONDS, f"{self.seconds:.1f} s"
        assert self.peak < PEAK_BYTES, f"{self.peak / 1e6:.0f} MB"


def rewrite_member(content: bytes, name: str, change) -> bytes:
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == name:
                with out.open(item.filename, "w") as member:
                    change(data, member)
            else:
                out.writestr(item.filename, data)
    return target.getvalue()


def far_cell(content: bytes, *, keep_dimension: bool) -> bytes:
    """Add one cell at XFD1048576 (the last cell a sheet can have) to a workbook's first sheet."""

    def change(xml, member):
        xml = xml.decode().replace("</sheetData>", '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
                                                   "</sheetData>")
        if keep_dimension:
            xml = re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', xml)
        else:
            xml = re.sub(r"<dimension[^>]*/>", "", xml)
        member.write(xml.encode())

    return rewrite_member(content, "xl/worksheets/sheet1.xml", change)


def many_rows(content: bytes, rows: int, *, keep_dimension: bool) -> bytes:
    """Give a workbook's first sheet `rows` rows of grades."""

    def change(xml, member):
        xml = xml.decode()
        if keep_dimension:
            xml = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="A1:E{rows}"/>', xml)
        else:
            xml = re.sub(r"<dimension[^>]*/>", "", xml)
        head, tail = xml.split("<sheetData>")[0], xml.split("</sheetData>")[1]
        member.write(f"{head}<sheetData>".encode())
        for start in range(1, rows + 1, 10000):
            member.write("".join(f'<row r="{r}"><c r="E{r}"><v>12</v></c></row>'
                                 for r in range(start, min(start + 10000, rows + 1))).encode())
        member.write(f"</sheetData>{tail}".encode())

    return rewrite_member(content, "xl/worksheets/sheet1.xml", change)


def bomb(content: bytes, *, unpacked_mb: int, lie: bool) -> bytes:
    """Pad the first sheet with `unpacked_mb` MB of rows that compress to almost nothing.

    With `lie`, the zip directory declares the member small (a forged header): the reader must not trust it.
    """

    def change(xml, member):
        head, tail = xml.split(b"</sheetData>")
        member.write(head)
        chunk = b'<row r="9"><c r="A9"><v>1</v></c></row>' * 26000
        for _ in range(unpacked_mb):
            member.write(chunk)
        member.write(b"</sheetData>" + tail)

    data = bytearray(rewrite_member(content, "xl/worksheets/sheet1.xml", change))
    if lie:
        info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet1.xml")
        struct.pack_into("<I", data, info.header_offset + 22, 1000)  # local header: uncompressed size
        central = bytes(data).rfind(b"PK\x01\x02", 0, bytes(data).find(b"PK\x05\x06"))
        while central != -1:
            name_length = struct.unpack_from("<H", data, central + 28)[0]
            if bytes(data[central + 46:central + 46 + name_length]) == b"xl/worksheets/sheet1.xml":
                struct.pack_into("<I", data, central + 24, 1000)
                break
            central = bytes(data).rfind(b"PK\x01\x02", 0, central)
    return bytes(data)


@pytest.fixture
def grade_sheet(evaluation, enrolments, workbook_for):
    return xlsx_bytes(workbook_for(evaluation))


HOSTILE = {  # name -> (how to make it from a grade sheet, what the refusal says)
    "far cell": (lambda s: far_cell(s, keep_dimension=True), "s'étend sur 1\u00a0048\u00a0576 lignes"),
    "far cell, no dimension": (lambda s: far_cell(s, keep_dimension=False), reading.TOO_MANY_ROWS),
    "420 000 rows": (lambda s: many_rows(s, 420_000, keep_dimension=True), "s'étend sur 420\u00a0000 lignes"),
    "420 000 rows, no dimension": (lambda s: many_rows(s, 420_000, keep_dimension=False), reading.TOO_MANY_ROWS),
    "zip bomb": (lambda s: bomb(s, unpacked_mb=100, lie=False), "Ce tableur se décompresse en 96 Mo (30 Mo au plus)"),
    "zip bomb, forged sizes": (lambda s: bomb(s, unpacked_mb=100, lie=True), "n'est pas un tableur lisible"),
}


@pytest.fixture
def hostile(grade_sheet):
    """Return name -> (content, what the refusal says), each file made on demand."""

    def make(name):
        build, message = HOSTILE[name]
        return build(grade_sheet), message

    return make


@pytest.mark.parametrize("name", list(HOSTILE))
def test_the_hostile_files_are_small_enough_to_upload(hostile, name):
    content, _ = hostile(name)
    assert len(content) < (10 * 1024 if name == "far cell" else reading.MAX_UPLOAD_BYTES)  # the « 7 KB » file


@pytest.mark.parametrize("name", ["far cell", "far cell, no dimension", "420 000 rows", "420 000 rows, no dimension",
                                  "zip bomb", "zip bomb, forged sizes"])
def test_a_hostile_grade_sheet_is_refused_at_once_on_the_page(secretariat_client, evaluation, hostile, name):
    content, message = hostile(name)
    with Bounded() as bounded:
        response = secretariat_client.post(reverse("grading:evaluation_import", args=[evaluation.pk]),
                                           {"file": SimpleUploadedFile("notes.xlsx", content)})
    bounded.check()
    assert response.status_code == 200
    assert len(response.context["errors"]) == 1 and message in response.context["errors"][0]
    assert not Grade.objects.exists()


@pytest.mark.parametrize("name", ["far cell", "420 000 rows, no dimension", "zip bomb", "zip bomb, forged sizes"])
def test_a_hostile_grade_sheet_is_refused_at_once_by_the_command(tmp_path, capsys, evaluation, hostile, name):
    content, message = hostile(name)
    path = tmp_path / "notes.xlsx"
    path.write_bytes(content)
    with Bounded() as bounded, pytest.raises(CommandError) as refused:
        call_command("import_grades", str(path), "--dry-run", evaluation=evaluation.pk)
    bounded.check()
    assert refused.value.returncode == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_a_100_000_row_csv_is_refused_at_once(secretariat_client, instance):
    content = ("INE;Nom;Prénom\n" + "".join(f"{i:011d};Nom{i};Prénom\n" for i in range(100_000))).encode()
    assert len(content) < reading.MAX_UPLOAD_BYTES
    with Bounded() as bounded:
        response = secretariat_client.post(reverse("grading:student_import", args=[instance.pk]),
                                           {"file": SimpleUploadedFile("liste.csv", content)})
    bounded.check()
    assert response.context["errors"] == [reading.TOO_MANY_ROWS]
    assert instance.enrolments.count() == 3


def test_a_list_with_a_cell_at_xfd1048576_is_refused_at_once(secretariat_client, instance):
    wb = Workbook()
    wb.active.append(["INE", "Nom", "Prénom"])
    content = far_cell(xlsx_bytes(wb), keep_dimension=True)
    with Bounded() as bounded:
        response = secretariat_client.post(reverse("grading:student_import", args=[instance.pk]),
                                           {"file": SimpleUploadedFile("liste.xlsx", content)})
    bounded.check()
    assert response.context["errors"] == [reading.SHEET_TOO_LARGE.format(
        sheet="Sheet", rows="1\u00a0048\u00a0576", columns="16\u00a0384", ref="A1:XFD1048576")]


def test_an_upload_over_5_mb_is_refused_by_the_page_and_the_command(secretariat_client, tmp_path, capsys, evaluation):
    content = b"x" * (reading.MAX_UPLOAD_BYTES + 1)
    response = secretariat_client.post(reverse("grading:evaluation_import", args=[evaluation.pk]),
                                       {"file": SimpleUploadedFile("notes.xlsx", content)})
    assert response.context["form"].errors["file"] == ["Fichier trop volumineux (5 Mo au plus)."]
    path = tmp_path / "notes.xlsx"
    path.write_bytes(content)
    with pytest.raises(CommandError):
        call_command("import_grades", str(path), "--dry-run", evaluation=evaluation.pk)
    assert "Fichier trop volumineux (5,0 Mo) : 5 Mo au plus." in capsys.readouterr().err


def test_a_sheet_wider_than_50_columns_is_refused(secretariat_client, instance):
    wb = Workbook()
    wb.active.append(["INE", "Nom", "Prénom"] + [f"c{i}" for i in range(60)])
    response = secretariat_client.post(reverse("grading:student_import", args=[instance.pk]),
                                       {"file": SimpleUploadedFile("liste.xlsx", xlsx_bytes(wb))})
    assert "63 colonnes" in response.context["errors"][0]


def test_error_lists_show_the_first_100_then_count_the_others(secretariat_client, instance):
    content = ("INE;Nom;Prénom\n" + "".join(f"X{i};Nom;Prénom\n" for i in range(4421))).encode()
    response = secretariat_client.post(reverse("grading:student_import", args=[instance.pk]),
                                       {"file": SimpleUploadedFile("liste.csv", content)})
    errors = response.context["errors"]
    assert len(errors) == 101
    assert errors[0] == "Ligne 2, colonne « INE » : INE « X0 » invalide (11 caractères, chiffres et lettres)."
    assert errors[-1] == "… et 4\u00a0321 autres"
    assert not Student.objects.filter(last_name="Nom").exists()
