"""`jury_report` (JSON shape, files) and `run_scenario --keep`: the kept scenario's report gives the same
UE/RCUE codes and year decisions as `run_scenario`."""
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from curriculum.models import Programme
from grading.models import Enrolment, SemesterInstance, Student

pytestmark = pytest.mark.django_db
SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def run_json(capsys, *args, **kwargs) -> dict:
    capsys.readouterr()
    call_command(*args, **kwargs)
    return json.loads(capsys.readouterr().out)


def test_the_json_report_has_the_documented_shape(capsys, promotion):
    Student.objects.filter(pk=promotion.students[0].pk).update(nip="21900001")
    report = run_json(capsys, "jury_report", semester=promotion.s4.pk, year=True, format="json")
    nips = {s["ine"]: s["nip"] for s in report["students"]}
    assert nips[promotion.students[0].ine] == "21900001"  # the NIP beside the INE; null when unknown
    assert {nip for ine, nip in nips.items() if ine != promotion.students[0].ine} == {None}
    assert set(report) == {"semester_instances", "students", "counts", "incomplete_evaluations"}
    assert report["semester_instances"] == [promotion.s3.pk, promotion.s4.pk]
    student = report["students"][0]
    assert set(student) == {"ine", "nip", "last_name", "first_name", "parcours", "status", "ues", "rcues", "ects",
                            "proposal", "decision"}
    ue = student["ues"]["UE3.1"]
    assert set(ue) == {"average", "code", "ects"} and len(ue["average"].split(".")[1]) == 2
    assert set(student["rcues"]["C1-2"]) == {"average", "code"} and set(student["ects"]) == {"year", "total"}
    assert sum(report["counts"].values()) == 12
    (incomplete,) = report["incomplete_evaluations"]
    assert (incomplete["module"], incomplete["title"], incomplete["missing"]) == ("R3.01", "DS1", 1)
    assert {s["status"] for s in report["students"]} == {"inscrit", "DEM"}


def test_the_semester_report_of_an_odd_semester_has_no_rcue(capsys, clean_promotion):
    report = run_json(capsys, "jury_report", semester=clean_promotion.s3.pk, format="json")
    assert report["semester_instances"] == [clean_promotion.s3.pk]
    assert all(s["rcues"] == {} and s["proposal"] is None for s in report["students"])
    assert set(report["students"][0]["ues"]) == {"UE3.1", "UE3.2", "UE3.3", "UE3.4"}


@pytest.mark.parametrize("fmt, magic", [("xlsx", b"PK"), ("pdf", b"%PDF")])
def test_it_writes_the_xlsx_and_the_pdf_to_a_file(tmp_path, clean_promotion, fmt, magic):
    output = tmp_path / f"pv.{fmt}"
    call_command("jury_report", semester=clean_promotion.s3.pk, year=True, format=fmt, output=str(output))
    assert output.read_bytes().startswith(magic)


def test_it_refuses_an_unknown_semester_and_a_file_format_without_output(clean_promotion):
    with pytest.raises(CommandError):
        call_command("jury_report", semester=999999, format="json")
    with pytest.raises(CommandError):
        call_command("jury_report", semester=clean_promotion.s3.pk, format="pdf")


@pytest.mark.parametrize("name", ["dijon_mpi_full_year.yaml", "r16_jury_overrides.yaml", "r17_red_nar_status.yaml"])
def test_a_kept_scenario_reports_the_same_codes_and_decisions_as_run_scenario(capsys, name):
    path = str(SCENARIOS / name)
    expected = run_json(capsys, "run_scenario", path)["students"]
    kept = run_json(capsys, "run_scenario", path, keep=True)
    assert Programme.objects.filter(code=kept["programme"]).exists()
    s3_first = kept["semester_instances"]["3"][0]
    report = run_json(capsys, "jury_report", semester=s3_first, year=True, format="json")
    by_ine = {s["ine"]: s for s in report["students"]}
    year = SemesterInstance.objects.get(pk=s3_first).academic_year.start_year
    compared = 0
    for name_, ine in kept["students"].items():
        outcome, row = expected[name_], by_ine.get(ine)
        later = Enrolment.objects.filter(student__ine=ine, semester_instance__academic_year__start_year__gt=year)
        if row is None or later.exists():
            continue  # not in this year, or a path going beyond it (the report is as of this jury)
        for code, ue in row["ues"].items():
            assert ue["code"] == outcome["ue"][code]["code"], (name_, code)
            assert ue["average"] == outcome["ue"][code]["average"], (name_, code)
        for key, rcue in row["rcues"].items():
            assert (rcue["average"], rcue["code"]) == (outcome["rcue"][key]["average"], outcome["rcue"][key]["code"])
        assert (row["decision"] or row["proposal"]) == outcome["year"]["2"], name_
        compared += 1
    assert compared >= 2


def test_keeping_a_scenario_twice_does_not_collide(capsys):
    path = str(SCENARIOS / "r09_compensation_in_rcue.yaml")
    first = run_json(capsys, "run_scenario", path, keep=True)
    second = run_json(capsys, "run_scenario", path, keep=True)
    assert first["programme"] != second["programme"]
    assert set(first["students"].values()).isdisjoint(second["students"].values())
    assert Student.objects.count() == 2 * len(first["students"])
    assert list(first["semester_instances"]) == ["1", "2"]


def test_a_kept_scenario_lists_first_passages_before_repeats(capsys):
    kept = run_json(capsys, "run_scenario", str(SCENARIOS / "r11_repeating_student.yaml"), keep=True)
    first, repeat = kept["semester_instances"]["3"]
    labels = dict(SemesterInstance.objects.filter(pk__in=[first, repeat]).values_list("pk", "label"))
    assert (labels[first], labels[repeat]) == ("", "passage 2")
    assert all(Student.objects.filter(ine=ine).exists() for ine in kept["students"].values())


def test_a_scenario_setting_the_attendance_rule_is_not_kept_and_the_departments_rule_is_untouched(capsys):
    from grading.models import AttendanceSettings

    with pytest.raises(CommandError) as refused:
        call_command("run_scenario", str(SCENARIOS / "r20_attendance.yaml"), keep=True)
    assert refused.value.returncode == 2 and "sans --keep" in str(refused.value)
    assert not AttendanceSettings.objects.filter(penalty_enabled=True).exists()
    assert not Programme.objects.filter(code__startswith="scenario-").exists()
