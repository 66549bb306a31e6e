"""Scenario files (docs/scenarios.md): build them through the models, run the loaders and engine.

`run_scenario_file` writes the scenario's programme, students and grades inside a transaction that it
rolls back, loads them with the application's loaders and computes with its engine: the same way as
the application, leaving no data behind. A malformed file raises ScenarioError naming file, key and
problem.
"""
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from butgmp.formats import as_number
from curriculum.models import (
    UE,
    Competence,
    CompetenceLevel,
    Modality,
    Module,
    ModuleUE,
    Parcours,
    Programme,
    Semester,
    Speciality,
)
from grading.engine import compute
from grading.engine.codes import EnrolmentStatus, JuryLevel
from grading.engine.rounding import fmt
from grading.engine.types import CohortResult
from grading.loaders import load_students
from grading.models import (
    AcademicYear,
    AttendanceMark,
    AttendanceSettings,
    AttendanceSlot,
    Bonus,
    Enrolment,
    Evaluation,
    EvaluationWeight,
    ExternalValidation,
    Grade,
    JuryDecision,
    SemesterInstance,
    Student,
)
from grading.scenarios.files import ScenarioError, read_scenario, short
from grading.services.system_user import system_user

__all__ = ["ScenarioError", "ScenarioRun", "check_outcome", "read_scenario", "run_scenario_file"]

SCENARIO_SPECIALITY = "SCENARIO"
BASE_YEAR = 2000


@dataclass
class ScenarioRun:
    path: str
    data: dict
    outcome: dict


# ---------------------------------------------------------------- running


def run_scenario_file(path: str) -> ScenarioRun:
    """Read, build, load and compute a scenario in a transaction that is rolled back."""
    data = read_scenario(path)
    with transaction.atomic():
        try:
            names = _build(data)
        except (DatabaseError, ValidationError, ValueError, TypeError, KeyError) as exc:
            # The validation above should leave nothing for the database to refuse; if it did, say so plainly.
            raise ScenarioError(f"{path}: (scénario): la base de données refuse ces données "
                                f"({exc.__class__.__name__}: {short(exc, 200)})") from exc
        cohort = load_students(student_ids=list(names))
        result = compute(cohort)
        outcome = _outcome(result, names, data)
        transaction.set_rollback(True)
    return ScenarioRun(path=path, data=data, outcome=outcome)


def _build(data: dict) -> dict[int, str]:
    """Write the scenario through the models; return student id → scenario name."""
    speciality = Speciality.objects.create(code=SCENARIO_SPECIALITY, name="Scénario")
    parcours_codes = {p for ue in data["ues"].values() for p in ue.get("parcours") or []}
    parcours_codes |= {s["parcours"] for s in data["students"].values() if s.get("parcours")}
    parcours = {code: Parcours.objects.create(speciality=speciality, code=code, name=code)
                for code in sorted(parcours_codes)}
    # The programme's own parcours is the common core, which no UE of the file lists: a student without a
    # parcours follows the common core only (R3), never another parcours's UEs.
    core_code = next(code for code in ("TC", "TC0", "TC1", "TC2") if code not in parcours)
    programme_parcours = Parcours.objects.create(speciality=speciality, code=core_code, name="Tronc commun")
    programme = Programme.objects.create(
        code="scenario", title=str(data.get("description", "Scénario"))[:250], iut="Scénario",
        speciality=speciality, parcours=programme_parcours, modality=Modality.INITIAL, first_year=BASE_YEAR)

    names = dict(data.get("competences") or {})
    competence_codes = sorted({ue["competence"] for ue in data["ues"].values()} | set(names))
    competences = {code: Competence.objects.create(speciality=speciality, code=code, number=i + 1,
                                                   short_name=str(names.get(code, code))[:60],
                                                   name=str(names.get(code, code)))
                   for i, code in enumerate(competence_codes)}
    levels = {}
    semester_numbers = {ue["semester"] for ue in data["ues"].values()}
    semester_numbers |= {m["semester"] for m in data["modules"].values()}
    semester_numbers |= {e["semester"] for s in data["students"].values() for e in s["path"]}
    semesters = {n: Semester.objects.create(programme=programme, number=n) for n in sorted(semester_numbers)}

    ues = {}
    for order, (code, spec) in enumerate(data["ues"].items()):
        level_key = (spec["competence"], spec["level"])
        if level_key not in levels:
            levels[level_key] = CompetenceLevel.objects.create(
                competence=competences[spec["competence"]], level=spec["level"], label=f"Niveau {spec['level']}")
        ue = UE.objects.create(semester=semesters[spec["semester"]], code=code, competence_level=levels[level_key],
                               ects=Decimal(spec["ects"]), rcue_coefficient=Decimal(spec.get("rcue_coef", 1)),
                               order=order)
        ue.parcours.set([parcours[p] for p in spec.get("parcours") or []])
        ues[code] = ue

    modules = {}
    for order, (code, spec) in enumerate(data["modules"].items()):
        module = Module.objects.create(semester=semesters[spec["semester"]], code=code, title=code,
                                       kind=spec["kind"], order=order)
        ModuleUE.objects.bulk_create(
            ModuleUE(module=module, ue=ues[ue_code], coefficient=Decimal(coef))
            for ue_code, coef in spec["coefficients"].items())
        modules[code] = module

    # First passages through a semester share one instance, second passages another (scenarios.md);
    # the k-th passage of semester s sits in academic year BASE + ceil(s/2) + k - 1, so paths stay in order.
    instances = {}
    evaluations = {}

    def instance_for(number: int, passage: int) -> SemesterInstance:
        if (number, passage) not in instances:
            year, _ = AcademicYear.objects.get_or_create(start_year=BASE_YEAR + (number + 1) // 2 + passage - 1)
            instance = SemesterInstance.objects.create(
                semester=semesters[number], academic_year=year, label="" if passage == 1 else f"passage {passage}")
            instances[number, passage] = instance
            for code, spec in data["modules"].items():
                if spec["semester"] != number:
                    continue
                created = []
                for order, ev in enumerate(spec.get("evaluations") or [{}]):
                    evaluation = Evaluation.objects.create(
                        semester_instance=instance, module=modules[code], title=f"{code} #{order + 1}",
                        coefficient=Decimal(ev.get("coef", 1)), max_score=Decimal(ev.get("max", 20)),
                        is_immediate=bool(ev.get("immediate", False)),
                        is_rattrapage=bool(ev.get("rattrapage", False)), order=order)
                    EvaluationWeight.objects.bulk_create(
                        EvaluationWeight(evaluation=evaluation, ue=ues[ue_code], weight=Decimal(w))
                        for ue_code, w in (ev.get("weights") or {}).items())
                    created.append(evaluation)
                evaluations[instance.id, code] = created
        return instances[number, passage]

    student_names = {}
    grades, decisions, validations = [], [], []
    for index, (name, spec) in enumerate(data["students"].items()):
        student = Student.objects.create(ine=f"SCN{index:07d}", last_name=str(name), first_name="")
        student_names[student.id] = str(name)
        student_parcours = parcours.get(spec.get("parcours"))
        for ue_code, prior in (spec.get("prior") or {}).items():
            code = prior["code"] if isinstance(prior, dict) else prior
            average = prior.get("average") if isinstance(prior, dict) else None
            validations.append(ExternalValidation(student=student, ue=ues[ue_code], code=code,
                                                  average=None if average is None else Decimal(average),
                                                  origin="scénario : prior"))
        seen = {}
        for position, entry in enumerate(spec["path"]):
            number = entry["semester"]
            seen[number] = seen.get(number, 0) + 1
            instance = instance_for(number, seen[number])
            last = position == len(spec["path"]) - 1
            enrolment = Enrolment.objects.create(
                student=student, semester_instance=instance, parcours=student_parcours,
                status=spec.get("status", EnrolmentStatus.ENROLLED) if last else EnrolmentStatus.ENROLLED,
                is_repeat=seen[number] > 1)
            if entry.get("bonus") is not None:
                Bonus.objects.create(enrolment=enrolment, percent=Decimal(entry["bonus"]))
            _absences(enrolment, (entry.get("absences") or {}).get("unjustified_half_days", 0))
            for module_code, values in (entry.get("grades") or {}).items():
                values = values if isinstance(values, list) else [values]
                for evaluation, value in zip(evaluations[instance.id, module_code], values, strict=False):
                    if value is None:
                        continue
                    is_code = isinstance(value, str)
                    grades.append(Grade(evaluation=evaluation, enrolment=enrolment,
                                        value=None if is_code else Decimal(value),
                                        code=value.upper() if is_code else "", max_score=evaluation.max_score))
            for subject, code in (entry.get("jury") or {}).items():
                level = JuryLevel.YEAR if subject == "year" else JuryLevel.UE if subject in ues else JuryLevel.RCUE
                decisions.append(JuryDecision(
                    enrolment=enrolment, level=level, code=code, reason="scénario",
                    subject=str((number + 1) // 2) if level == JuryLevel.YEAR else subject))
    if "attendance" in data:  # R20 on, as the department would set it (rolled back with the rest)
        rule = AttendanceSettings.objects.order_by("pk").first() or AttendanceSettings()
        rule.penalty_enabled, rule.penalty_threshold = True, data["attendance"]["threshold"]
        rule.penalty_points = Decimal(data["attendance"]["points"])
        rule.save()
    Grade.objects.bulk_create(grades)
    JuryDecision.objects.bulk_create(decisions)
    ExternalValidation.objects.bulk_create(validations)
    return student_names


def _absences(enrolment, half_days: int) -> None:
    """Record `half_days` unjustified half-days of absence in the enrolment's semester (R20): one slot each, the
    mornings and afternoons of consecutive days."""
    if not half_days:
        return
    user = system_user()
    first = datetime.date(BASE_YEAR, 9, 1)
    slots = AttendanceSlot.objects.bulk_create(
        AttendanceSlot(semester_instance=enrolment.semester_instance, kind=AttendanceSlot.Kind.STUDENT,
                       date=first + datetime.timedelta(days=n // 2), start=SCENARIO_HALVES[n % 2][0],
                       end=SCENARIO_HALVES[n % 2][1], taken_by=user) for n in range(half_days))
    AttendanceMark.objects.bulk_create(AttendanceMark(slot=slot, enrolment=enrolment,
                                                      status=AttendanceMark.Status.ABSENT) for slot in slots)


SCENARIO_HALVES = ((datetime.time(8), datetime.time(12)), (datetime.time(14), datetime.time(18)))


# ---------------------------------------------------------------- outcome and check


def _outcome(result: CohortResult, names: dict[int, str], data: dict) -> dict:
    students = {}
    for student_id, name in names.items():
        res = result.students[student_id]
        students[name] = {
            "ue": {code: {"average": fmt(ue.average), "code": ue.decision, "ects": as_number(ue.ects)}
                   for code, ue in sorted(res.ues.items())},
            "rcue": {key: {"average": fmt(r.average), "code": r.decision} for key, r in sorted(res.rcues.items())},
            "year": {str(year): code for year, code in sorted(res.years.items())},
            "ects": as_number(res.ects),
            "explain": list(res.explain),
        }
    return {"students": students}


def check_outcome(run: ScenarioRun) -> list[str]:
    """Compare the outcome with the file's `expect`; return one line per difference."""
    differences = []
    for name, expected in (run.data.get("expect") or {}).items():
        got = run.outcome["students"][name]

        def differ(what, want, have, _name=name):
            differences.append(f"{run.path}: {_name}: {what}: expected {want}, got {have}")

        for kind in ("ue", "rcue"):
            for subject, figures in (expected.get(kind) or {}).items():
                actual = got[kind].get(subject, {})
                for field_name, want in figures.items():
                    have = actual.get(field_name)
                    if field_name == "average":
                        want = None if want is None else f"{Decimal(want):.2f}"
                    elif field_name == "ects":
                        want, have = (None if want is None else Decimal(want)), (
                            None if have is None else Decimal(str(have)))
                    if want != have:
                        differ(f"{kind} {subject} {field_name}", _show(want), _show(have))
        for year, want in (expected.get("year") or {}).items():
            have = got["year"].get(str(year))
            if want != have:
                differ(f"year {year}", _show(want), _show(have))
        if "ects" in expected and Decimal(expected["ects"]) != Decimal(str(got["ects"])):
            differ("ects", _show(expected["ects"]), _show(got["ects"]))
    return differences


def _show(value) -> str:
    return "null" if value is None else str(value)
