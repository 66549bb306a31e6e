"""Scenario files (docs/scenarios.md): build them through the models, run the loaders and engine.

`run_scenario_file` writes the scenario's programme, students and grades inside a transaction that it
rolls back, loads them with the application's loaders and computes with its engine: the same way as
the application, leaving no data behind. A malformed file raises ScenarioError naming file, key and
problem.
"""
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml
from django.db import transaction

from butgmp.formats import as_number
from curriculum.models import (
    UE,
    Competence,
    CompetenceLevel,
    Modality,
    Module,
    ModuleKind,
    ModuleUE,
    Parcours,
    Programme,
    Semester,
    Speciality,
)
from grading.engine import compute
from grading.engine.codes import BONUS_MAX, BONUS_MIN, DecisionCode, EnrolmentStatus, GradeCode, JuryLevel
from grading.engine.rounding import fmt
from grading.engine.types import CohortResult
from grading.loaders import load_students
from grading.models import (
    AcademicYear,
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

TOP_KEYS = {"description", "competences", "ues", "modules", "students", "expect"}
UE_KEYS = {"semester", "competence", "level", "ects", "rcue_coef", "parcours"}
MODULE_KEYS = {"semester", "kind", "coefficients", "evaluations"}
EVALUATION_KEYS = {"coef", "max", "weights", "immediate", "rattrapage"}
STUDENT_KEYS = {"parcours", "prior", "status", "path"}
PATH_KEYS = {"semester", "grades", "bonus", "jury"}
EXPECT_KEYS = {"ue", "rcue", "year", "ects"}
RCUE_KEY = re.compile(r"^(?P<competence>.+)-(?P<level>[1-3])$")
SCENARIO_SPECIALITY = "SCENARIO"
BASE_YEAR = 2000


class ScenarioError(Exception):
    """A malformed scenario file; the message names the file, the key and the problem."""


class _DecimalLoader(yaml.SafeLoader):
    """Read YAML floats from their text as Decimal, so 9.995 is exactly 9.995."""


_DecimalLoader.add_constructor(
    "tag:yaml.org,2002:float", lambda loader, node: Decimal(loader.construct_scalar(node).replace("_", ""))
)


@dataclass
class ScenarioRun:
    path: str
    data: dict
    outcome: dict


# ---------------------------------------------------------------- reading and validation


def read_scenario(path: str) -> dict:
    """Parse and validate a scenario file; raise ScenarioError on any problem."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"{path}: fichier illisible ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{path}: le fichier n'est pas du texte UTF-8") from exc
    try:
        data = yaml.load(text, Loader=_DecimalLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (ligne {mark.line + 1}, colonne {mark.column + 1})" if mark else ""
        raise ScenarioError(f"{path}: YAML invalide{where}: {getattr(exc, 'problem', exc)}") from exc
    _Validator(path).validate(data)
    return data


class _Validator:
    def __init__(self, path: str):
        self.path = path

    def fail(self, key: str, problem: str):
        raise ScenarioError(f"{self.path}: {key}: {problem}")

    def mapping(self, value, key: str, *, allowed: set[str] | None = None, required: set[str] = frozenset()):
        if not isinstance(value, dict):
            self.fail(key, f"un dictionnaire est attendu, pas {_kind(value)}")
        for name in required:
            if name not in value:
                self.fail(f"{key}.{name}" if key else name, "clé obligatoire absente")
        if allowed is not None:
            for name in value:
                if name not in allowed:
                    self.fail(f"{key}.{name}" if key else str(name),
                              f"clé inconnue (attendu : {', '.join(sorted(allowed))})")
        return value

    def number(self, value, key: str, *, minimum=None, maximum=None, integer=False):
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            self.fail(key, f"un nombre est attendu, pas {_kind(value)}")
        if integer and (not isinstance(value, int)):
            self.fail(key, f"un entier est attendu, pas {value}")
        if minimum is not None and value < minimum:
            self.fail(key, f"{value} < {minimum}")
        if maximum is not None and value > maximum:
            self.fail(key, f"{value} > {maximum}")
        return Decimal(value)

    def choice(self, value, key: str, choices):
        if value not in choices:
            self.fail(key, f"« {value} » n'est pas une valeur permise ({', '.join(str(c) for c in choices)})")
        return value

    def validate(self, data):
        self.mapping(data, "", allowed=TOP_KEYS, required={"ues", "modules", "students"})
        competences = self.mapping(data.get("competences") or {}, "competences")
        ues = self.mapping(data["ues"], "ues")
        if not ues:
            self.fail("ues", "aucune UE")
        for code, ue in ues.items():
            key = f"ues.{code}"
            self.mapping(ue, key, allowed=UE_KEYS, required={"semester", "competence", "level", "ects"})
            self.number(ue["semester"], f"{key}.semester", minimum=1, maximum=6, integer=True)
            self.number(ue["level"], f"{key}.level", minimum=1, maximum=3, integer=True)
            self.number(ue["ects"], f"{key}.ects", minimum=0)
            if "rcue_coef" in ue:
                self.number(ue["rcue_coef"], f"{key}.rcue_coef", minimum=0)
            if competences and ue["competence"] not in competences:
                self.fail(f"{key}.competence", f"compétence « {ue['competence']} » absente de `competences`")
            if "parcours" in ue and not isinstance(ue["parcours"], list):
                self.fail(f"{key}.parcours", "une liste de parcours est attendue")
        modules = self.mapping(data["modules"], "modules")
        for code, module in modules.items():
            self._module(code, module, ues)
        students = self.mapping(data["students"], "students")
        if not students:
            self.fail("students", "aucun étudiant")
        for name, student in students.items():
            self._student(name, student, ues, modules)
        expect = self.mapping(data.get("expect") or {}, "expect")
        for name, expected in expect.items():
            if name not in students:
                self.fail(f"expect.{name}", "étudiant absent de `students`")
            self.mapping(expected, f"expect.{name}", allowed=EXPECT_KEYS)
            for kind in ("ue", "rcue"):
                for subject, figures in self.mapping(expected.get(kind) or {}, f"expect.{name}.{kind}").items():
                    self.mapping(figures, f"expect.{name}.{kind}.{subject}", allowed={"average", "code", "ects"})
            if "ects" in expected:
                self.number(expected["ects"], f"expect.{name}.ects", minimum=0)
            for year in self.mapping(expected.get("year") or {}, f"expect.{name}.year"):
                self.number(year, f"expect.{name}.year.{year}", minimum=1, maximum=3, integer=True)

    def _module(self, code, module, ues):
        key = f"modules.{code}"
        self.mapping(module, key, allowed=MODULE_KEYS, required={"semester", "kind", "coefficients"})
        self.number(module["semester"], f"{key}.semester", minimum=1, maximum=6, integer=True)
        self.choice(module["kind"], f"{key}.kind", [k.value for k in ModuleKind])
        for ue_code, coef in self.mapping(module["coefficients"], f"{key}.coefficients").items():
            if ue_code not in ues:
                self.fail(f"{key}.coefficients.{ue_code}", "UE absente de `ues`")
            self.number(coef, f"{key}.coefficients.{ue_code}", minimum=0)
        evaluations = module.get("evaluations")
        if evaluations is None:
            return
        if not isinstance(evaluations, list) or not evaluations:
            self.fail(f"{key}.evaluations", "une liste non vide d'évaluations est attendue")
        for i, evaluation in enumerate(evaluations):
            ekey = f"{key}.evaluations[{i}]"
            self.mapping(evaluation, ekey, allowed=EVALUATION_KEYS)
            if "coef" in evaluation:
                self.number(evaluation["coef"], f"{ekey}.coef", minimum=0)
            if "max" in evaluation:
                self.number(evaluation["max"], f"{ekey}.max", minimum=Decimal("0.01"))
            for ue_code, weight in self.mapping(evaluation.get("weights") or {}, f"{ekey}.weights").items():
                if ue_code not in ues:
                    self.fail(f"{ekey}.weights.{ue_code}", "UE absente de `ues`")
                self.number(weight, f"{ekey}.weights.{ue_code}", minimum=0)
            for flag in ("immediate", "rattrapage"):
                if flag in evaluation and not isinstance(evaluation[flag], bool):
                    self.fail(f"{ekey}.{flag}", "true ou false attendu")

    def _student(self, name, student, ues, modules):
        key = f"students.{name}"
        self.mapping(student, key, allowed=STUDENT_KEYS, required={"path"})
        self.choice(student.get("status", EnrolmentStatus.ENROLLED), f"{key}.status",
                    [s.value for s in EnrolmentStatus])
        for ue_code, prior in self.mapping(student.get("prior") or {}, f"{key}.prior").items():
            if ue_code not in ues:
                self.fail(f"{key}.prior.{ue_code}", "UE absente de `ues`")
            code = prior.get("code") if isinstance(prior, dict) else prior
            self.choice(code, f"{key}.prior.{ue_code}", [c.value for c in DecisionCode])
            if isinstance(prior, dict) and prior.get("average") is not None:
                self.number(prior["average"], f"{key}.prior.{ue_code}.average", minimum=0, maximum=20)
        path = student["path"]
        if not isinstance(path, list) or not path:
            self.fail(f"{key}.path", "une liste non vide de semestres est attendue")
        for i, entry in enumerate(path):
            pkey = f"{key}.path[{i}]"
            self.mapping(entry, pkey, allowed=PATH_KEYS, required={"semester"})
            semester = int(self.number(entry["semester"], f"{pkey}.semester", minimum=1, maximum=6, integer=True))
            if entry.get("bonus") is not None:
                self.number(entry["bonus"], f"{pkey}.bonus", minimum=BONUS_MIN, maximum=BONUS_MAX)
            for module_code, grades in self.mapping(entry.get("grades") or {}, f"{pkey}.grades").items():
                gkey = f"{pkey}.grades.{module_code}"
                module = modules.get(module_code)
                if module is None:
                    self.fail(gkey, "module absent de `modules`")
                if module["semester"] != semester:
                    self.fail(gkey, f"le module est du semestre {module['semester']}, pas du semestre {semester}")
                if not isinstance(grades, list):
                    grades = [grades]
                evaluations = module.get("evaluations") or [{}]
                if len(grades) > len(evaluations):
                    self.fail(gkey, f"{len(grades)} notes pour {len(evaluations)} évaluation(s)")
                for j, grade in enumerate(grades):
                    self._grade(grade, f"{gkey}[{j}]", Decimal(evaluations[j].get("max", 20)))
            for subject, code in self.mapping(entry.get("jury") or {}, f"{pkey}.jury").items():
                if subject != "year" and subject not in ues and not RCUE_KEY.match(str(subject)):
                    self.fail(f"{pkey}.jury.{subject}", "ni une UE, ni une clé de RCUE (C1-2), ni `year`")
                self.choice(code, f"{pkey}.jury.{subject}", [c.value for c in DecisionCode])

    def _grade(self, grade, key, maximum):
        if grade is None:
            return
        if isinstance(grade, str):
            self.choice(grade.upper(), key, [c.value for c in GradeCode])
            return
        self.number(grade, key, minimum=0, maximum=maximum)


def _kind(value) -> str:
    return {dict: "un dictionnaire", list: "une liste", str: f"le texte « {value} »", type(None): "rien"}.get(
        type(value), f"« {value} »"
    )


# ---------------------------------------------------------------- running


def run_scenario_file(path: str) -> ScenarioRun:
    """Read, build, load and compute a scenario in a transaction that is rolled back."""
    data = read_scenario(path)
    with transaction.atomic():
        names = _build(data)
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
    programme_parcours = next(iter(parcours.values()), None) or Parcours.objects.create(
        speciality=speciality, code="TC", name="Tronc commun")
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
    Grade.objects.bulk_create(grades)
    JuryDecision.objects.bulk_create(decisions)
    ExternalValidation.objects.bulk_create(validations)
    return student_names


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
