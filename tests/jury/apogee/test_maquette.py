"""The Apogée maquette, pure: read, check, fill and write back byte for byte."""
import re
from decimal import Decimal

import pytest

from jury.apogee.maquette import (
    MAX_BYTES,
    MAX_COLUMNS,
    MAX_LINES,
    ROW_MISMATCH,
    TOO_LARGE,
    TOO_MANY_COLUMNS,
    TOO_MANY_LINES,
    MaquetteError,
    Value,
    fill,
    format_average,
    read_maquette,
    write_maquette,
)
from tests.jury.apogee.maquettes import columns, maquette_bytes


def test_it_reads_titles_accepted_codes_columns_and_students():
    maquette = read_maquette(maquette_bytes())
    assert maquette.encoding == "iso-8859-1"
    assert maquette.titles["apoC_lib_dip"] == "BUT Génie Mécanique"
    assert maquette.titles["apoC_Titre2"] == ""
    assert {"ADM", "AJ", "CMP", "PASD"} <= maquette.accepted_codes
    assert "ADSUP" not in maquette.accepted_codes and "Admis" not in maquette.accepted_codes
    assert len(maquette.columns) == len(columns()) == 3 + 5 * 4
    first = maquette.columns[0]
    assert (first.key, first.object_type, first.code, first.version, first.kind) == (
        "apoL_c0001", "VET", "V2GMP", "123", "N")
    assert list(maquette.rows) == ["12345678", "22345678", "32345678"]
    assert maquette.student_names["22345678"] == "LEFÈVRE Loïc"


@pytest.mark.parametrize("value,expected", [
    (Decimal("12.345"), "12,35"), (Decimal("9.994"), "9,99"), (Decimal("10"), "10,00"), (Decimal("0.005"), "0,01")])
def test_averages_are_written_with_a_decimal_comma_and_two_decimals(value, expected):
    assert format_average(value) == expected


def test_a_round_trip_fills_each_value_where_it_belongs_and_keeps_every_other_byte():
    original = maquette_bytes()
    maquette = read_maquette(original)
    report = fill(maquette, {
        "12345678": {"VGMU31": Value(Decimal("12.345"), "ADM"), "VGMRC1": Value(Decimal("11"), "ADSUP"),
                     "V2GMP": Value(None, "ADM"), "VGMR301": Value(Decimal("8.5"))},
        "99999999": {"VGMU31": Value(Decimal("15"), "ADM")},  # not in the file
    })
    written = write_maquette(maquette)
    old_lines, new_lines = original.split(b"\r\n"), written.split(b"\r\n")
    assert len(old_lines) == len(new_lines) and written.endswith(b"\r\n")
    changed = [i for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=True)) if a != b]
    row = maquette.rows["12345678"]
    assert changed == [row]  # titles, columns, the other students: byte-identical
    assert "Hélène".encode("iso-8859-1") in new_lines[row]  # still ISO-8859-1
    cells = dict(zip(maquette.header, new_lines[row].decode("iso-8859-1").split("\t"), strict=True))
    key = {(c.code, c.kind): c.key for c in maquette.columns}
    assert [cells[key["VGMU31", k]] for k in "NBJR"] == ["12,35", "20", "", "ADM"]
    assert [cells[key["VGMRC1", k]] for k in "NBJR"] == ["11,00", "20", "", ""]  # ADSUP not accepted here
    assert [cells[key["V2GMP", k]] for k in "NBR"] == ["", "", "ADM"]
    assert [cells[key["VGMR301", k]] for k in "NBJR"] == ["8,50", "20", "", ""]
    assert [cells[key["VGMU32", k]] for k in "NBJR"] == ["", "", "", ""]
    assert report.not_accepted == [("12345678", "VGMRC1", "ADSUP")]
    assert report.students_filled == ["12345678"] and report.cells_written == 8


def test_a_utf8_file_with_lf_endings_is_written_back_in_utf8():
    data = maquette_bytes().decode("iso-8859-1").replace("\r\n", "\n").encode("utf-8")
    maquette = read_maquette(data)
    assert maquette.encoding == "utf-8"
    fill(maquette, {"32345678": {"VGMU32": Value(Decimal("14"), "ADM")}})
    written = write_maquette(maquette)
    assert b"\r" not in written and "Loïc".encode() in written
    assert written.split(b"\n")[:-5] == data.split(b"\n")[:-5]


def test_a_value_row_that_does_not_match_the_header_is_refused_naming_its_line():
    data = maquette_bytes(merged_row=True)
    line = data.split(b"\r\n").index(next(x for x in data.split(b"\r\n") if x.startswith(b"22345678"))) + 1
    expected = ROW_MISMATCH.format(line=line, nip="22345678", count=26, expected=27)
    with pytest.raises(MaquetteError, match=re.escape(expected)):
        read_maquette(data)


@pytest.mark.parametrize("mutate,message", [
    (lambda t: t.replace("XX-APO_TYP_RES-XX", "XX-AUTRE-XX"), "section XX-APO_TYP_RES-XX absente"),
    (lambda t: t.replace("apoL_c0002\tVET\tV2GMP\t123\t2025\t0\t1\tB", "apoL_c0002\tVET\tV2GMP\t123\t2025\t0\t1\tX"),
     "colonne apoL_c0002 mal formée (type « X » ni N, B, J, R)"),
    (lambda t: t.replace("\tapoL_c0023\r\n", "\r\n", 1), "la colonne apoL_c0023 décrite plus haut manque"),
    (lambda t: t.replace("12345678", "22345678", 1), "le NIP 22345678 y figure deux fois"),
])
def test_it_refuses_a_malformed_maquette_saying_why(mutate, message):
    with pytest.raises(MaquetteError, match=re.escape(message)):
        read_maquette(mutate(maquette_bytes().decode("iso-8859-1")).encode("iso-8859-1"))


def test_it_refuses_a_file_past_the_size_limit_before_reading_it():
    with pytest.raises(MaquetteError, match=re.escape(TOO_LARGE.format(size=MAX_BYTES + 1, limit=MAX_BYTES))):
        read_maquette(b"x" * (MAX_BYTES + 1))


def test_it_refuses_a_file_with_too_many_lines():
    with pytest.raises(MaquetteError, match=re.escape(TOO_MANY_LINES.format(limit=MAX_LINES))):
        read_maquette(maquette_bytes() + b"\r\n" * MAX_LINES)


def test_it_refuses_a_header_with_too_many_columns_naming_its_line():
    lines = maquette_bytes().split(b"\r\n")
    header = next(i for i, line in enumerate(lines) if line.startswith(b"apoL_a01_code\tapoL_a02_nom"))
    lines[header] += b"\t" * MAX_COLUMNS
    with pytest.raises(MaquetteError, match=re.escape(TOO_MANY_COLUMNS.format(line=header + 1, limit=MAX_COLUMNS))):
        read_maquette(b"\r\n".join(lines))
