"""CSV decoding is strict: UTF-8 (with or without BOM), else Windows-1252 for the whole file; never garbled."""
import pytest

from grading.spreadsheet_reading import MIXED_ENCODINGS, NOT_TEXT, NUL_BYTE, decode_csv

UTF8_LINE = "33333333333;Dupré;Éléonore\n"
CP1252_LINE = "44444444444;Lefèvre;Noël\n"


@pytest.mark.parametrize("data", [
    ("INE;Nom;Prénom\n" + UTF8_LINE).encode("utf-8"),
    ("INE;Nom;Prénom\n" + UTF8_LINE).encode("utf-8-sig"),
])
def test_utf8_with_or_without_bom_is_read_as_utf8(data):
    text, error = decode_csv(data)
    assert error is None
    assert text == "INE;Nom;Prénom\n" + UTF8_LINE


def test_a_windows_1252_file_is_read_as_windows_1252_as_a_whole():
    text, error = decode_csv(("INE;Nom;Prénom\n" + CP1252_LINE + "55555555555;Œuvre;Zoë\n").encode("cp1252"))
    assert error is None
    assert "Lefèvre;Noël" in text and "Œuvre;Zoë" in text


def test_a_file_mixing_both_encodings_is_refused_rather_than_garbled():
    """Decoding the whole file as Windows-1252 would read the UTF-8 line as `Ã‰lÃ©onore`; as UTF-8, the
    Windows-1252 line is invalid. Either way a name would come out wrong, so nothing is read: the error names
    a UTF-8 line and a Windows-1252 one, and tells how to save the file."""
    data = b"INE;Nom;Pr\xc3\xa9nom\n" + "33333333333;Dupré;Éléonore\n".encode() + CP1252_LINE.encode("cp1252")
    assert "Ã‰lÃ©onore" in data.decode("cp1252")  # what the former fallback to Windows-1252 produced
    text, error = decode_csv(data)
    assert text is None
    assert error == MIXED_ENCODINGS.format(utf8_line=1, other_line=3)


def test_a_bom_followed_by_windows_1252_is_mixed():
    text, error = decode_csv(b"\xef\xbb\xbfINE;Nom\n" + CP1252_LINE.encode("cp1252"))
    assert (text, error) == (None, MIXED_ENCODINGS.format(utf8_line=1, other_line=2))


def test_a_file_in_neither_encoding_is_refused_with_its_line():
    # 0x81 is undefined in Windows-1252 and alone is not UTF-8.
    text, error = decode_csv(b"INE;Nom\n11111111111;Zola\n22222222222;Ar\x81endt\n")
    assert (text, error) == (None, NOT_TEXT.format(line=3, byte=0x81))


def test_a_binary_file_is_refused_with_its_line():
    assert decode_csv(b"INE;Nom\n\x00\x01") == (None, NUL_BYTE.format(line=2))
