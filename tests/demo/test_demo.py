"""make_demo: the demo department, built at a small size on the two programmes it uses, with its numbers.

The build runs once for the module (in a transaction rolled back at the end); the same seed built again from
scratch gives the same digest, and a second `make_demo` on the built database changes nothing.
"""
import hashlib
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test.utils import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from curriculum.apogee_codes import apogee_objects
from curriculum.fixture_loader import load_programme_file, load_reference
from curriculum.models import UE, ModuleUE, Programme
from demo.build import ALREADY_THERE, DIJON_PROGRAMME, make_demo
from demo.matrix import DEPARTMENT_PROGRAMME, SOURCE_PROGRAMME
from demo.past_results import FILENAME
from grading.cohort_flow import ELSEWHERE
from grading.engine.codes import DecisionCode, EnrolmentStatus, GradeCode, JuryLevel
from grading.models import (
    AuditEntry,
    Bonus,
    Enrolment,
    Evaluation,
    ExternalValidation,
    Grade,
    Group,
    JuryDecision,
    JurySession,
    ModuleResponsible,
    SemesterInstance,
    Student,
)
from grading.statistics import YEAR_PASSED
from jury.report import jury_report
from jury.scope import scope_for

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
STUDENTS, SEED = 8, 7
FAST_HASHER = {"PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"]}


def load_the_two_programmes() -> None:
    load_reference(FIXTURES / "gmp.yaml")
    for code in (DIJON_PROGRAMME, SOURCE_PROGRAMME):
        load_programme_file(FIXTURES / "programmes" / f"{code}.yaml")


def digest() -> str:
    """Return a fingerprint of the demo: grades, enrolments, decisions, bonuses and evaluations, without ids."""
    rows = [sorted(Grade.objects.values_list(
        "enrolment__student__ine", "evaluation__semester_instance__academic_year__start_year",
        "evaluation__semester_instance__semester__number", "evaluation__module__code", "evaluation__title",
        "value", "code", "updated_by__username"))]
    rows.append(sorted(Enrolment.objects.values_list(
        "student__ine", "student__last_name", "student__first_name", "semester_instance__semester__number",
        "semester_instance__academic_year__start_year", "status", "is_repeat", "parcours__code")))
    rows.append(sorted(JuryDecision.objects.values_list("enrolment__student__ine", "level", "subject", "code")))
    rows.append(sorted(Bonus.objects.values_list("enrolment__student__ine", "percent", "reason")))
    rows.append(sorted(Evaluation.objects.values_list(
        "semester_instance__academic_year__start_year", "semester_instance__semester__number", "module__code",
        "title", "date", "coefficient", "is_published")))
    rows.append(sorted(Enrolment.groups.through.objects.values_list("enrolment__student__ine", "group__name")))
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def instance(number: int, year: int = 2026) -> SemesterInstance:
    return SemesterInstance.objects.select_related("semester__programme").get(
        semester__number=number, academic_year__start_year=year)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Build the demo twice from the same empty database (the first build rolled back); keep the second."""
    with django_db_blocker.unblock(), override_settings(**FAST_HASHER), transaction.atomic():
        load_the_two_programmes()
        with transaction.atomic():
            make_demo(students=STUDENTS, seed=SEED, progress=lambda line: None)
            first = digest()
            transaction.set_rollback(True)
        out = StringIO()
        call_command("make_demo", "--force", "--students", str(STUDENTS), "--seed", str(SEED), stdout=out)
        yield {"first": first, "second": digest(), "output": out.getvalue()}
        transaction.set_rollback(True)


def test_the_same_seed_gives_the_same_department_and_a_second_run_changes_nothing(demo, db):
    assert demo["first"] == demo["second"]
    assert "S3 — MPI alternance — Dijon-Auxerre — 2025-2026" in demo["output"]  # progress lines
    counts = (Student.objects.count(), Grade.objects.count(), Evaluation.objects.count(), JuryDecision.objects.count())
    out = StringIO()
    call_command("make_demo", "--force", "--students", str(STUDENTS), "--seed", str(SEED), stdout=out)
    assert ALREADY_THERE in out.getvalue()
    assert digest() == demo["second"]
    assert (Student.objects.count(), Grade.objects.count(), Evaluation.objects.count(),
            JuryDecision.objects.count()) == counts


def test_every_demo_student_has_a_nip_of_its_own(demo, db):
    nips = list(Student.objects.values_list("nip", flat=True))
    assert nips and all(re.fullmatch(r"2[0-9]{8}", nip) for nip in nips)
    assert len(set(nips)) == len(nips)


def test_three_promotions_this_year_on_their_programmes_and_last_years_but2_locked(demo, db):
    programmes = {n: instance(n).semester.programme.code for n in range(1, 7)}
    assert programmes == {1: DEPARTMENT_PROGRAMME, 2: DEPARTMENT_PROGRAMME, 3: DIJON_PROGRAMME, 4: DIJON_PROGRAMME,
                          5: DEPARTMENT_PROGRAMME, 6: DEPARTMENT_PROGRAMME}
    assert [i.is_locked for i in (instance(3, 2025), instance(4, 2025))] == [True, True]
    sizes = {n: Enrolment.objects.filter(semester_instance=instance(n)).count() for n in (1, 3, 5)}
    assert sizes == {1: STUDENTS, 3: STUDENTS, 5: STUDENTS}
    department = Programme.objects.get(code=DEPARTMENT_PROGRAMME)
    assert department.previous_version.code == SOURCE_PROGRAMME
    rows = ModuleUE.objects.filter(module__semester__programme=department)
    assert rows.count() > 100 and not rows.filter(coefficient__isnull=True).exists()
    assert not ModuleUE.objects.filter(module__semester__programme__code=SOURCE_PROGRAMME,
                                       coefficient__isnull=False).exists()  # the fixture itself is untouched


def test_groups_teachers_and_a_dated_plan_for_every_module(demo, db):
    for number in range(1, 7):
        semester = instance(number)
        modules = set(semester.semester.modules.values_list("id", flat=True))
        assert set(ModuleResponsible.objects.filter(semester_instance=semester).values_list("module_id", flat=True)) \
            == modules
        planned = Evaluation.objects.filter(semester_instance=semester)
        assert set(planned.values_list("module_id", flat=True)) == modules
        assert not planned.filter(date__isnull=True).exists()
        assert set(Group.objects.filter(semester_instance=semester).values_list("kind", "name")) == {
            ("TD", "TD1"), ("TP", "TP1A"), ("TP", "TP1B")}
    teacher_grades = Grade.objects.filter(evaluation__module__code="R3.01", evaluation__semester_instance=instance(3))
    assert set(teacher_grades.values_list("updated_by__username", flat=True)) == {"enseignant"}


def test_but2_is_graded_and_its_jury_waits_only_for_the_att_grade(demo, db):
    report = jury_report(scope=scope_for(instance(4), year=True))
    assert [(str(r.student), r.blockers) for r in report.rows if r.blockers] == [
        (str(Grade.objects.get(code=GradeCode.ATT).enrolment.student), ["note ATT"])]
    assert Grade.objects.filter(code=GradeCode.ATT).count() == 1
    assert {r.proposal for r in report.rows if r.has_left} == {DecisionCode.DEM}
    left = Enrolment.objects.filter(status=EnrolmentStatus.DEM)
    assert left.count() == 2 and len({e.student_id for e in left}) == 1  # one student, in S3 and in S4
    repeater = next(r for r in report.rows if r.student.user and r.student.user.username == "etudiant")
    assert repeater.is_repeat  # planned to fail last year in C2, C3 and C4: C1 and MPI stay acquired (R11)
    assert {code for code, cell in repeater.ues.items() if cell.capitalised} >= {"UE3.1", "UE3.5", "UE4.1", "UE4.5"}
    averages = [cell.average for r in jury_report(scope=scope_for(instance(1), year=True)).rows
                for cell in r.ues.values()]
    assert averages and None not in averages  # BUT1 has averages: the department's coefficients


def test_grades_spread_with_absences_excuses_and_bonuses(demo, db):
    values = [float(v) for v in Grade.objects.exclude(value=None).values_list("value", flat=True)]
    mean = sum(values) / len(values)
    assert 10.5 < mean < 13.5 and min(values) < 8 and max(values) > 15
    assert Grade.objects.filter(code=GradeCode.ABS).exists() and Grade.objects.filter(code=GradeCode.EXC).exists()
    assert Bonus.objects.count() == 5  # two last year, three this year
    published = Evaluation.objects.filter(semester_instance__academic_year__start_year=2026)
    assert 0 < published.filter(is_published=True).count() < published.count()


def test_last_years_jury_is_published_and_its_repeater_reads_it(demo, db, client):
    session = JurySession.objects.get()
    assert session.is_closed and session.is_published
    assert JuryDecision.objects.filter(session=session, code=DecisionCode.RED).exists()
    response = client.post(reverse("login"), {"username": "etudiant", "password": "demo"})
    assert response.status_code == 302
    page = client.get(reverse("portal:my_results")).content.decode()
    assert "Semestre 4 – 2025-2026" in page and "RED" in page and "capitalisée" in page
    accounts = Student.objects.filter(user__isnull=False).exclude(user__username="etudiant")
    assert accounts.count() == 6 and all(s.user.username == s.ine for s in accounts)
    # the demo publishes without queuing notices: its addresses are fictitious, `make run` prints no e-mail
    assert not DBTaskResult.objects.filter(task_path__endswith="send_results_notices").exists()


@pytest.mark.parametrize("login,page", [
    ("direction", "/programmes/lecreusot-ipi-initiale-2026-v2/"), ("secretariat", "/notes/"),
    ("enseignant", "/notes/"), ("jury", "/notes/jury/")])
def test_each_staff_login_opens_its_first_page(demo, db, client, login, page):
    assert client.post(reverse("login"), {"username": login, "password": "demo"}).status_code == 302
    response = client.get(page)
    assert response.status_code == 200 and "2026-2027" in response.content.decode()


@pytest.mark.parametrize("size", ["5", "121"])
def test_a_promotion_size_out_of_range_is_refused_in_french_and_builds_nothing(db, size):
    before = digest(), Student.objects.count(), Programme.objects.count()
    with pytest.raises(CommandError, match="--students") as refused:
        call_command("make_demo", "--force", "--students", size, stdout=StringIO())
    assert "6" in str(refused.value) and "120" in str(refused.value)
    assert (digest(), Student.objects.count(), Programme.objects.count()) == before


def test_the_promotions_flow_matches_the_demos_enrolments_and_decisions(demo, db):
    from grading.selectors.cohorts import promotion_flow

    but1 = promotion_flow(semester_instance=instance(1))  # this year's BUT1: its next year is not open yet
    assert but1.columns == ((2026, {"BUT1": STUDENTS}), (2027, {"En attente": STUDENTS}))
    last_but2 = instance(3, 2025)
    flow = promotion_flow(semester_instance=last_but2)
    enrolled = Enrolment.objects.filter(semester_instance=last_but2).count()
    repeating = JuryDecision.objects.filter(enrolment__semester_instance__in=[last_but2, instance(4, 2025)],
                                            level=JuryLevel.YEAR, code=DecisionCode.RED,
                                            superseded_by__isnull=True).count()
    back = Enrolment.objects.filter(semester_instance=instance(3), student__enrolments__semester_instance=last_but2)
    assert repeating and back.count() == repeating
    assert flow.columns[0] == (2025, {"BUT2": enrolled})
    assert flow.columns[1][1]["BUT2"] == repeating  # last year's RED are this year's repeaters
    assert flow.steps[0].outcomes["repeat"] == repeating
    assert sum(flow.steps[0].outcomes.values()) == enrolled
    # Those who passed (ADM, PASD…) went on to Dijon's BUT3, which the application does not hold: not « Partis »
    students = set(Enrolment.objects.filter(semester_instance=last_but2).values_list("student_id", flat=True))
    back = set(Enrolment.objects.filter(student_id__in=students, semester_instance__academic_year__start_year=2026)
               .values_list("student_id", flat=True))
    in_force = dict(JuryDecision.objects.filter(
        enrolment__student_id__in=students, enrolment__semester_instance__academic_year__start_year=2025,
        level=JuryLevel.YEAR, superseded_by__isnull=True).order_by("at").values_list("enrolment__student_id", "code"))
    passed = {student for student in students - back if in_force.get(student) in YEAR_PASSED}
    gone = students - back - passed
    assert passed and len(passed) + len(gone) + len(back) == enrolled
    assert flow.steps[0].outcomes.get("elsewhere", 0) == flow.columns[1][1].get(ELSEWHERE, 0) == len(passed)
    assert flow.steps[0].outcomes.get("left", 0) == flow.columns[1][1].get("Partis", 0) == len(gone)
    assert flow.columns[2] == (2027, {"En attente": repeating})  # this year's repeaters: 2027 is not open


def test_but2_s_but1_comes_through_the_import_and_counts_in_the_ects_total(demo, db):
    report = jury_report(scope=scope_for(instance(4), year=True))
    enrolled = [r for r in report.rows if not r.has_left]
    assert enrolled and all(r.ects_total == r.ects_year + 60 for r in enrolled)
    student = enrolled[0].student
    assert ExternalValidation.objects.filter(student=student, code__in=("ADM", "CMP")).count() == 8  # UE1.1–UE2.4
    batch = AuditEntry.objects.filter(reason__contains=FILENAME).values_list("batch", flat=True).first()
    assert batch.startswith("resultats-anterieurs-")


def test_the_demo_programmes_carry_apogee_codes(demo, db):
    dijon = Programme.objects.get(code=DIJON_PROGRAMME)
    codes = {o.name: o.code for o in apogee_objects(programme=dijon)}
    assert codes["VET BUT2"] == "BGMP2V" and codes["UE3.1"] == "BGMPUE31" and codes["RCUE C1-2"] == "BGMPRC12"
    assert all(codes.values())


def test_r15_every_but2_student_holds_their_but1_on_record_and_no_jury_flags_it_missing(demo, db):
    from grading.models import ExternalValidation, JuryRecordStudent

    but1 = set(UE.objects.filter(semester__programme__code=DEPARTMENT_PROGRAMME, semester__number__in=(1, 2))
               .values_list("code", flat=True))
    for year in (2025, 2026):
        students = Student.objects.filter(enrolments__semester_instance=instance(3, year)).distinct()
        for student in students:
            validated = dict(ExternalValidation.objects.filter(student=student).values_list("ue__code", "code"))
            assert set(validated) == but1 and set(validated.values()) <= {"ADM", "CMP"}
    recorded = JuryRecordStudent.objects.filter(record__session__semester_instances=instance(4, 2025)).distinct()
    assert recorded.exists()
    assert not any("BUT1 non renseigné" in row.figures["flags"] for row in recorded)
    assert {row.decision for row in recorded} <= {"ADM", "PASD", "RED"}


def test_the_demo_fills_the_institution_identity_with_a_fictitious_iut(demo, db):
    from io import BytesIO

    from grading.models import InstitutionIdentity
    from grading.selectors.institution import institution_identity
    from grading.services.institution import png_read

    assert InstitutionIdentity.objects.count() == 1
    identity = institution_identity()
    assert "fictif" in identity.iut and identity.city and identity.postal_address and identity.president_name
    assert "tribunal administratif" in identity.appeal
    for image in (identity.logo, identity.signature):
        assert png_read(BytesIO(bytes(image)), field="logo") == bytes(image)  # a PNG that passes the page's check
    assert AuditEntry.objects.filter(object_type="grading.institutionidentity", field="iut").exists()
    with_address = Student.objects.exclude(postal_address="")
    assert 0 < with_address.count() < Student.objects.count()  # every other student: the letters print it
    assert all(re.search(r"\n\d{5} ", s.postal_address) for s in with_address)
