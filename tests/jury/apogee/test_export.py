"""The Apogée export of a closed year jury: the values of the jury, where they belong, and the report's four lists."""
import datetime
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from curriculum.apogee_codes import apogee_codes_save
from demo.jury_promotion import make_promotion
from grading.engine.codes import DecisionCode, EnrolmentStatus
from grading.models import ApogeeExport, ApogeeExportSettings, ApogeeTranslation, AuditEntry, Enrolment
from grading.models.apogee import SemesterCode, SemesterElement
from grading.services.apogee_settings import apogee_settings_save
from jury.apogee.export import NOT_CLOSED, ExportRefused, apogee_export
from jury.apogee.maquette import format_average, read_maquette
from jury.decisions import proposals_accept
from jury.report import jury_report
from jury.scope import scope_of_session
from jury.sessions import session_close, session_create
from tests.jury.apogee.maquettes import maquette_bytes

CODES = {"VET BUT2": "V2GMP", "VET BUT2 version": "123", "BUT2": "V2GMA", "S3": "V2GS3", "S4": "V2GS4",
         **{f"UE{n}.{i}": f"V2GU{n}{i}" for n in (3, 4) for i in (1, 2, 3, 4)},
         **{f"RCUE C{i}-2": f"V2GRC{i}" for i in (1, 2, 3, 4)}, "R3.01": "V2GR301"}  # other modules: no code
ELEMENTS = [("VET", "V2GMP", "BUT GMP 2"), ("ELP", "V2GMA", "Année 2"), ("ELP", "V2GS3", "Semestre 3"),
            *[("ELP", f"V2GU{n}{i}", f"UE{n}.{i}") for n in (3, 4) for i in (1, 2, 3, 4)],
            *[("ELP", f"V2GRC{i}", f"RCUE {i}") for i in (1, 2, 3, 4)], ("ELP", "V2GR301", "R3.01"),
            ("ELP", "V2GXYZ", "Option hors jury")]

# The instance accepts every code of the application but ADSUP.
RESULT_TYPES = ["10\t" + "\t".join(c.value for c in DecisionCode if c != DecisionCode.ADSUP)]


@pytest.fixture
def closed_jury(db, users):
    promotion = make_promotion(students=6, seed=5)
    for i, student in enumerate(promotion.students):
        student.nip = f"2100000{i}"
        student.save()
    apogee_codes_save(programme=promotion.programme, codes=CODES, user=users["direction"])
    session = session_create(semester_instances=[promotion.s3, promotion.s4], date=datetime.date(2026, 6, 20),
                             president="Mme Présidente", user=users["jury"])
    proposals_accept(session=session, user=users["jury"])
    session = session_close(session=session, user=users["jury"])
    return promotion, session


def file_for(promotion, *, skip: int, extra: str = "99999999") -> bytes:
    """A maquette with every student but the `skip`-th, and one student who is not in the jury."""
    students = [(s.nip, s.last_name.upper(), s.first_name, "01/01/2005")
                for i, s in enumerate(promotion.students) if i != skip]
    students.append((extra, "HORS", "Jury", "02/02/2005"))
    return maquette_bytes(elements=ELEMENTS, students=students, result_types=RESULT_TYPES)


def cells_of(content: bytes, nip: str) -> dict[tuple[str, str], str]:
    maquette = read_maquette(content)
    fields = maquette.lines[maquette.rows[nip]].rstrip("\r\n").split("\t")
    by_key = dict(zip(maquette.header, fields, strict=True))
    return {(c.code, c.kind): by_key[c.key] for c in maquette.columns}


def test_each_value_of_the_jury_lands_in_its_column_and_the_rest_is_untouched(closed_jury):
    promotion, session = closed_jury
    original = file_for(promotion, skip=5)
    result = apogee_export(session=session, maquette=original)
    report = jury_report(scope=scope_of_session(session))
    rows = {r.student.nip: r for r in report.rows}
    for student in promotion.students[:5]:
        row, cells = rows[student.nip], cells_of(result.content, student.nip)
        for n in (3, 4):
            for i in (1, 2, 3, 4):
                cell = row.ues[f"UE{n}.{i}"]
                assert cells[f"V2GU{n}{i}", "N"] == format_average(Decimal(cell.average))
                assert cells[f"V2GU{n}{i}", "B"] == "20"
                assert cells[f"V2GU{n}{i}", "J"] == ""
                assert cells[f"V2GU{n}{i}", "R"] == cell.code
        for i in (1, 2, 3, 4):
            rcue = row.rcues[f"C{i}-2"]
            assert (cells[f"V2GRC{i}", "N"], cells[f"V2GRC{i}", "R"]) == (
                format_average(Decimal(rcue.average)), rcue.code)
        assert cells["V2GMA", "R"] == cells["V2GMP", "R"] == row.recorded
        assert cells["V2GMP", "N"] == ""
        s3 = [row.ues[f"UE3.{i}"] for i in (1, 2, 3, 4)]  # equal ECTS: the plain mean of what the jury read
        assert cells["V2GS3", "N"] == format_average(sum(Decimal(c.average) for c in s3) / 4)
        assert cells["V2GS3", "R"] == ("ADM" if all(c.code in ("ADM", "CMP", "ADJ", "ADJR") for c in s3) else "AJ")
        assert cells["V2GR301", "N"] != "" and cells["V2GR301", "R"] == ""  # a module: its average only
        assert cells["V2GXYZ", "N"] == cells["V2GXYZ", "R"] == ""  # not the jury's
    old, new = original.split(b"\r\n"), result.content.split(b"\r\n")
    filled = {read_maquette(original).rows[s.nip] for s in promotion.students[:5]}
    assert [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b] == sorted(filled)
    assert result.report.students_filled == 5


def test_the_report_lists_the_four_kinds_of_gaps(closed_jury):
    promotion, session = closed_jury
    year_code = jury_report(scope=scope_of_session(session)).rows[0].recorded
    ApogeeTranslation.objects.create(code=year_code, apogee_code="")  # this instance has no such code
    result = apogee_export(session=session, maquette=file_for(promotion, skip=5))
    skipped = promotion.students[5]
    assert result.report.not_in_jury == ["99999999 HORS Jury"]
    assert result.report.not_in_file == [f"{skipped.last_name.upper()} {skipped.first_name} (NIP {skipped.nip})"]
    assert result.report.uncoded == ["R3.02", "R3.03", "R3.04", "SAE3.01", "R4.01", "R4.02", "R4.03", "R4.04",
                                     "SAE4.01"]
    in_file = [s for s in jury_report(scope=scope_of_session(session)).rows if s.student != skipped]
    count = sum(1 for r in in_file if r.recorded == year_code)
    plural = "s" if count > 1 else ""
    assert f"{year_code} (BUT2 : {count} étudiant{plural})" in result.report.untranslated
    assert f"{year_code} (VET BUT2 : {count} étudiant{plural})" in result.report.untranslated
    rows = {r.student.nip: r for r in in_file}
    for nip, row in rows.items():
        if row.recorded == year_code:
            assert cells_of(result.content, nip)["V2GMA", "R"] == ""  # reported, never written


def test_an_open_jury_is_refused(db, users):
    promotion = make_promotion(students=2, seed=1)
    session = session_create(semester_instances=[promotion.s3, promotion.s4], date=datetime.date(2026, 6, 20),
                             president="Mme Présidente", user=users["jury"])
    with pytest.raises(ExportRefused, match=NOT_CLOSED.format(date="20/06/2026")):
        apogee_export(session=session, maquette=maquette_bytes())


def test_the_command_writes_the_file_and_prints_the_report(closed_jury, tmp_path, capsys):
    promotion, session = closed_jury
    source, output = tmp_path / "maquette.txt", tmp_path / "rempli.txt"
    source.write_bytes(file_for(promotion, skip=5))
    call_command("apogee_export", "--jury", str(session.pk), "--maquette", str(source), "--output", str(output))
    printed = json.loads(capsys.readouterr().out)
    assert printed["not_in_jury"] == ["99999999 HORS Jury"] and printed["students_filled"] == 5
    assert output.read_bytes() == apogee_export(session=session, maquette=source.read_bytes()).content
    kept = ApogeeExport.objects.get(pk=printed["export"])  # with the jury's archives, as the page keeps it
    assert (kept.session, bytes(kept.content), kept.made_by.username) == (session, output.read_bytes(), "systeme")
    assert AuditEntry.objects.filter(field="export Apogée", new_value="maquette.txt : 5 étudiant(s)").count() == 1


def test_the_command_refuses_a_malformed_maquette_with_exit_2(closed_jury, tmp_path, capsys):
    _, session = closed_jury
    source = tmp_path / "maquette.txt"
    source.write_bytes(maquette_bytes(merged_row=True))
    with pytest.raises(SystemExit) as exit_:
        call_command("apogee_export", "--jury", str(session.pk), "--maquette", str(source),
                     "--output", str(tmp_path / "out.txt"))
    assert exit_.value.code == 2
    assert "champ(s) alors que l'en-tête en a" in capsys.readouterr().err


def test_the_semester_elements_follow_the_translation_page_setting(closed_jury):
    promotion, session = closed_jury
    ApogeeExportSettings.objects.create(pk=1, semester_element=SemesterElement.EMPTY, semester_code=SemesterCode.YEAR)
    result = apogee_export(session=session, maquette=file_for(promotion, skip=5))
    rows = {r.student.nip: r for r in jury_report(scope=scope_of_session(session)).rows}
    for student in promotion.students[:5]:
        cells = cells_of(result.content, student.nip)
        assert (cells["V2GS3", "N"], cells["V2GS3", "B"], cells["V2GS3", "R"]) == ("", "", rows[student.nip].recorded)
        assert cells["V2GU31", "N"] == format_average(Decimal(rows[student.nip].ues["UE3.1"].average))  # UEs as before
    ApogeeExportSettings.objects.filter(pk=1).update(semester_code=SemesterCode.NONE)
    result = apogee_export(session=session, maquette=file_for(promotion, skip=5))
    assert all(cells_of(result.content, s.nip)["V2GS3", "R"] == "" for s in promotion.students[:5])


def test_an_rcue_gets_its_scale_and_no_jury_points(closed_jury):
    promotion, session = closed_jury
    result = apogee_export(session=session, maquette=file_for(promotion, skip=5))
    for student in promotion.students[:5]:
        cells = cells_of(result.content, student.nip)
        assert [(cells[f"V2GRC{i}", "B"], cells[f"V2GRC{i}", "J"]) for i in (1, 2, 3, 4)] == [("20", "")] * 4


def test_a_code_the_instance_does_not_accept_is_reported_and_not_written(closed_jury):
    """The file's XX-APO_TYP_RES-XX decides: a code missing from it is never written, even when translated."""
    promotion, session = closed_jury
    rows = [r for r in jury_report(scope=scope_of_session(session)).rows if r.student != promotion.students[5]]
    year_code = rows[0].recorded
    accepted = ["10\t" + "\t".join(c.value for c in DecisionCode if c not in (DecisionCode.ADSUP, year_code))]
    students = [(s.nip, s.last_name.upper(), s.first_name, "01/01/2005") for s in promotion.students[:5]]
    result = apogee_export(session=session, maquette=maquette_bytes(elements=ELEMENTS, students=students,
                                                                     result_types=accepted))
    count = sum(1 for r in rows if r.recorded == year_code)
    plural = "s" if count > 1 else ""
    assert f"{year_code} (BUT2 : {count} étudiant{plural})" in result.report.untranslated
    for row in rows:
        cells = cells_of(result.content, row.student.nip)
        assert cells["V2GMA", "R"] == ("" if row.recorded == year_code else row.recorded)


@pytest.fixture
def jury_with_leavers(db, users):
    """A closed year jury where the first student left in S4 (DEM) and the second was declared DEF in S4."""
    promotion = make_promotion(students=4, seed=3, left=1)
    for i, student in enumerate(promotion.students):
        student.nip = f"2200000{i}"
        student.save()
    Enrolment.objects.filter(student=promotion.students[1], semester_instance=promotion.s4).update(
        status=EnrolmentStatus.DEF)
    apogee_codes_save(programme=promotion.programme, codes=CODES, user=users["direction"])
    session = session_create(semester_instances=[promotion.s3, promotion.s4], date=datetime.date(2026, 6, 20),
                             president="Mme Présidente", user=users["jury"])
    proposals_accept(session=session, user=users["jury"])
    return promotion, session_close(session=session, user=users["jury"])


def test_students_who_left_are_written_as_the_translation_table_says(jury_with_leavers, users):
    promotion, session = jury_with_leavers
    apogee_settings_save(translations={"DEM": "DEMI", "DEF": ""}, semester_element=SemesterElement.AVERAGE,
                         semester_code=SemesterCode.YEAR, user=users["direction"])
    accepted = RESULT_TYPES[0] + "\tDEMI"
    students = [(s.nip, s.last_name.upper(), s.first_name, "01/01/2005") for s in promotion.students]
    result = apogee_export(session=session, maquette=maquette_bytes(elements=ELEMENTS, students=students,
                                                                     result_types=[accepted]))
    rows = {r.student.nip: r for r in jury_report(scope=scope_of_session(session)).rows}
    dem, def_, stayed = (cells_of(result.content, s.nip) for s in promotion.students[:3])
    assert (rows[promotion.students[0].nip].recorded, rows[promotion.students[1].nip].recorded) == ("DEM", "DEF")
    assert dem["V2GMP", "R"] == dem["V2GMA", "R"] == dem["V2GS3", "R"] == "DEMI"  # DEM -> DEMI, as the table says
    assert def_["V2GMP", "R"] == def_["V2GMA", "R"] == ""  # DEF has no code in this instance: reported, not written
    assert "DEF (BUT2 : 1 étudiant)" in result.report.untranslated
    assert "DEF (VET BUT2 : 1 étudiant)" in result.report.untranslated
    assert stayed["V2GMA", "R"] == rows[promotion.students[2].nip].recorded not in ("DEM", "DEF", "")
