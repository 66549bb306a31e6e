"""Scenario files (docs/scenarios.md): read and validate them, never trusting the file.

The YAML is read with a loader that keeps numbers exact (Decimal), refuses aliases (a few lines can stand
for billions of values) and duplicate keys, and turns an over-long integer into an error (`yaml_reader`). Every
value is then checked against the format and against the model field it ends in (lengths, digits), so that a
malformed file gets `file: key: problem` and the database never sees what it would refuse.
"""
import re
from decimal import Decimal
from pathlib import Path

import yaml

from curriculum.models import UE, Competence, ModuleKind, ModuleUE, Parcours
from curriculum.models import Module as ProgrammeModule
from grading.engine.codes import BONUS_MAX, BONUS_MIN, DecisionCode, EnrolmentStatus, GradeCode
from grading.models import (
    AttendanceSettings,
    Bonus,
    Evaluation,
    EvaluationWeight,
    ExternalValidation,
    Grade,
    JuryDecision,
    Student,
)
from grading.scenarios.yaml_reader import MAX_FILE_BYTES, ScenarioError, YamlLoader, hashable, short

TOP_KEYS = {"description", "competences", "ues", "modules", "students", "expect", "attendance"}
UE_KEYS = {"semester", "competence", "level", "ects", "rcue_coef", "parcours"}
MODULE_KEYS = {"semester", "kind", "coefficients", "evaluations"}
EVALUATION_KEYS = {"coef", "max", "weights", "immediate", "rattrapage"}
STUDENT_KEYS = {"parcours", "prior", "status", "path"}
PATH_KEYS = {"semester", "grades", "bonus", "jury", "absences"}
ATTENDANCE_KEYS = {"threshold", "points"}  # R20, the department's rule
ABSENCES_KEYS = {"unjustified_half_days"}
MAX_HALF_DAYS = 400
EXPECT_KEYS = {"ue", "rcue", "year", "ects"}
RCUE_KEY = re.compile(r"^(?P<competence>.+)-(?P<level>[1-3])$")
# The model fields a scenario value ends in: the validation checks the database can store it.
FIELD = {
    "ue": UE._meta.get_field("code"), "module": ProgrammeModule._meta.get_field("code"),
    "competence": Competence._meta.get_field("code"), "competence_name": Competence._meta.get_field("name"),
    "parcours": Parcours._meta.get_field("code"), "student": Student._meta.get_field("last_name"),
    "ects": UE._meta.get_field("ects"), "rcue_coef": UE._meta.get_field("rcue_coefficient"),
    "module_coefficient": ModuleUE._meta.get_field("coefficient"),
    "evaluation_coefficient": Evaluation._meta.get_field("coefficient"),
    "max_score": Evaluation._meta.get_field("max_score"), "weight": EvaluationWeight._meta.get_field("weight"),
    "grade": Grade._meta.get_field("value"), "bonus": Bonus._meta.get_field("percent"),
    "prior_average": ExternalValidation._meta.get_field("average"),
    "jury_subject": JuryDecision._meta.get_field("subject"),
    "penalty_points": AttendanceSettings._meta.get_field("penalty_points"),
}


# ---------------------------------------------------------------- reading and validation


def read_scenario(path: str) -> dict:
    """Parse and validate a scenario file; raise ScenarioError on any problem."""
    try:
        if Path(path).stat().st_size > MAX_FILE_BYTES:
            raise ScenarioError(f"{path}: fichier trop volumineux (2 Mo au plus)")
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"{path}: fichier illisible ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{path}: le fichier n'est pas du texte UTF-8") from exc
    try:
        data = yaml.load(text, Loader=YamlLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (ligne {mark.line + 1}, colonne {mark.column + 1})" if mark else ""
        raise ScenarioError(f"{path}: YAML invalide{where}: {getattr(exc, 'problem', None) or exc}") from exc
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

    def number(self, value, key: str, *, minimum=None, maximum=None, integer=False, field=None):
        """Check a number; with `field` (a model DecimalField), also that the database can store it."""
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            self.fail(key, f"un nombre est attendu, pas {_kind(value)}")
        if integer and (not isinstance(value, int)):
            self.fail(key, f"un entier est attendu, pas {short(value)}")
        if minimum is not None and value < minimum:
            self.fail(key, f"{short(value)} < {minimum}")
        if maximum is not None and value > maximum:
            self.fail(key, f"{short(value)} > {maximum}")
        number = Decimal(value)
        if field is not None:
            places = field.decimal_places
            whole = field.max_digits - places
            if abs(number) >= Decimal(10) ** whole:
                self.fail(key, f"{short(value)} : {whole} chiffre(s) avant la virgule au plus")
            if number != number.quantize(Decimal(1).scaleb(-places)):
                self.fail(key, f"{short(value)} : {places} décimale(s) au plus")
        return number

    def code(self, value, key: str, *, field) -> str:
        """Check a code or a name: text, not empty, no longer than the model field allows."""
        if not isinstance(value, str) or not value.strip():
            self.fail(key, f"un texte est attendu, pas {_kind(value)}")
        if len(value) > field.max_length:
            self.fail(key, f"« {short(value)} » : {field.max_length} caractères au plus")
        return value

    def choice(self, value, key: str, choices):
        if value not in choices:
            self.fail(key, f"« {value} » n'est pas une valeur permise ({', '.join(str(c) for c in choices)})")
        return value

    def validate(self, data):
        self.mapping(data, "", allowed=TOP_KEYS, required={"ues", "modules", "students"})
        competences = self.mapping(data.get("competences") or {}, "competences")
        for code, name in competences.items():
            self.code(code, f"competences.{short(code)}", field=FIELD["competence"])
            self.code(name, f"competences.{code}", field=FIELD["competence_name"])
        ues = self.mapping(data["ues"], "ues")
        if not ues:
            self.fail("ues", "aucune UE")
        for code, ue in ues.items():
            key = f"ues.{short(code)}"
            self.code(code, key, field=FIELD["ue"])
            self.mapping(ue, key, allowed=UE_KEYS, required={"semester", "competence", "level", "ects"})
            self.number(ue["semester"], f"{key}.semester", minimum=1, maximum=6, integer=True)
            self.number(ue["level"], f"{key}.level", minimum=1, maximum=3, integer=True)
            if ue["level"] > (ue["semester"] + 1) // 2:  # R8: level 2 is BUT2's at the earliest
                self.fail(f"{key}.level", f"niveau {ue['level']} au-dessus de l'année de BUT du semestre "
                                          f"{ue['semester']} (BUT{(ue['semester'] + 1) // 2}) (R8)")
            self.number(ue["ects"], f"{key}.ects", minimum=0, field=FIELD["ects"])
            if "rcue_coef" in ue:
                self.number(ue["rcue_coef"], f"{key}.rcue_coef", minimum=0, field=FIELD["rcue_coef"])
                if ue["rcue_coef"] <= 0:
                    self.fail(f"{key}.rcue_coef", f"{short(ue['rcue_coef'])} : le coefficient de RCUE doit être "
                                                  f"strictement positif (R8)")
            self.code(ue["competence"], f"{key}.competence", field=FIELD["competence"])
            if competences and ue["competence"] not in competences:
                self.fail(f"{key}.competence", f"compétence « {ue['competence']} » absente de `competences`")
            if "parcours" in ue:
                if not isinstance(ue["parcours"], list):
                    self.fail(f"{key}.parcours", "une liste de parcours est attendue")
                for i, parcours in enumerate(ue["parcours"]):
                    self.code(parcours, f"{key}.parcours[{i}]", field=FIELD["parcours"])
        self._one_ue_per_level(ues)
        if "attendance" in data:
            rule = self.mapping(data["attendance"], "attendance", allowed=ATTENDANCE_KEYS, required=ATTENDANCE_KEYS)
            self.number(rule["threshold"], "attendance.threshold", minimum=0, maximum=MAX_HALF_DAYS, integer=True)
            self.number(rule["points"], "attendance.points", minimum=0, maximum=20, field=FIELD["penalty_points"])
        modules = self.mapping(data["modules"], "modules")
        for code, module in modules.items():
            self.code(code, f"modules.{short(code)}", field=FIELD["module"])
            self._module(code, module, ues)
        students = self.mapping(data["students"], "students")
        if not students:
            self.fail("students", "aucun étudiant")
        for name, student in students.items():
            self.code(name, f"students.{short(name)}", field=FIELD["student"])
            self._student(name, student, ues, modules)
        expect = self.mapping(data.get("expect") or {}, "expect")
        for name, expected in expect.items():
            if name not in students:
                self.fail(f"expect.{name}", "étudiant absent de `students`")
            self.mapping(expected, f"expect.{name}", allowed=EXPECT_KEYS)
            for kind in ("ue", "rcue"):
                for subject, figures in self.mapping(expected.get(kind) or {}, f"expect.{name}.{kind}").items():
                    fkey = f"expect.{name}.{kind}.{short(subject)}"
                    self.mapping(figures, fkey, allowed={"average", "code", "ects"})
                    if figures.get("average") is not None:
                        self.number(figures["average"], f"{fkey}.average", minimum=0, maximum=20)
                    if figures.get("ects") is not None:
                        self.number(figures["ects"], f"{fkey}.ects", minimum=0)
                    if figures.get("code") is not None:
                        self.choice(figures["code"], f"{fkey}.code", [c.value for c in DecisionCode])
            for year, code in self.mapping(expected.get("year") or {}, f"expect.{name}.year").items():
                if code is not None:
                    self.choice(code, f"expect.{name}.year.{short(year)}", [c.value for c in DecisionCode])
            if "ects" in expected:
                self.number(expected["ects"], f"expect.{name}.ects", minimum=0)
            for year in self.mapping(expected.get("year") or {}, f"expect.{name}.year"):
                self.number(year, f"expect.{name}.year.{year}", minimum=1, maximum=3, integer=True)

    def _one_ue_per_level(self, ues):
        """R8: an RCUE is exactly two UEs, one per semester of the year; two UEs of one competence level in one
        semester that one parcours takes (no `parcours`: every parcours) would make a third."""
        seen = {}
        for code, ue in ues.items():
            key = (ue["semester"], ue["competence"], ue["level"])
            parcours = frozenset(ue.get("parcours") or [])
            for other, other_parcours in seen.get(key, []):
                if not parcours or not other_parcours or parcours & other_parcours:
                    self.fail(f"ues.{short(code)}", f"{other} est déjà une UE de {ue['competence']} niveau "
                                                    f"{ue['level']} au semestre {ue['semester']} pour le même "
                                                    f"parcours : un RCUE a exactement deux UE (R8)")
            seen.setdefault(key, []).append((code, parcours))

    def _path_order(self, key: str, path: list) -> None:
        """Paths are in the order followed: an odd semester, the even one of its year, then the next odd one or
        a repeat of the year; any other order is refused, never reordered."""
        previous = None
        for i, entry in enumerate(path):
            semester = entry["semester"]
            if previous is None:
                allowed = semester % 2 == 1
            elif previous % 2:
                allowed = semester == previous + 1
            else:
                allowed = semester in (previous + 1, previous - 1)
            if not allowed:
                after = f"après le semestre {previous}" if previous else "en premier"
                self.fail(f"{key}.path[{i}].semester", f"semestre {semester} {after} : le parcours doit suivre "
                                                       f"l'ordre des semestres (impair, pair, puis impair suivant "
                                                       f"ou redoublement)")
            previous = semester

    def _module(self, code, module, ues):
        key = f"modules.{code}"
        self.mapping(module, key, allowed=MODULE_KEYS, required={"semester", "kind", "coefficients"})
        self.number(module["semester"], f"{key}.semester", minimum=1, maximum=6, integer=True)
        self.choice(module["kind"], f"{key}.kind", [k.value for k in ModuleKind])
        for ue_code, coef in self.mapping(module["coefficients"], f"{key}.coefficients").items():
            if ue_code not in ues:
                self.fail(f"{key}.coefficients.{short(ue_code)}", "UE absente de `ues`")
            self.number(coef, f"{key}.coefficients.{ue_code}", minimum=0, field=FIELD["module_coefficient"])
        evaluations = module.get("evaluations")
        if evaluations is None:
            return
        if not isinstance(evaluations, list) or not evaluations:
            self.fail(f"{key}.evaluations", "une liste non vide d'évaluations est attendue")
        for i, evaluation in enumerate(evaluations):
            ekey = f"{key}.evaluations[{i}]"
            self.mapping(evaluation, ekey, allowed=EVALUATION_KEYS)
            if "coef" in evaluation:
                self.number(evaluation["coef"], f"{ekey}.coef", minimum=0, field=FIELD["evaluation_coefficient"])
            if "max" in evaluation:
                self.number(evaluation["max"], f"{ekey}.max", minimum=Decimal("0.01"), field=FIELD["max_score"])
            for ue_code, weight in self.mapping(evaluation.get("weights") or {}, f"{ekey}.weights").items():
                if ue_code not in ues:
                    self.fail(f"{ekey}.weights.{short(ue_code)}", "UE absente de `ues`")
                self.number(weight, f"{ekey}.weights.{ue_code}", minimum=0, field=FIELD["weight"])
            for flag in ("immediate", "rattrapage"):
                if flag in evaluation and not isinstance(evaluation[flag], bool):
                    self.fail(f"{ekey}.{flag}", "true ou false attendu")

    def _student(self, name, student, ues, modules):
        key = f"students.{name}"
        self.mapping(student, key, allowed=STUDENT_KEYS, required={"path"})
        self.choice(student.get("status", EnrolmentStatus.ENROLLED), f"{key}.status",
                    [s.value for s in EnrolmentStatus])
        if student.get("parcours") is not None:
            self.code(student["parcours"], f"{key}.parcours", field=FIELD["parcours"])
        for ue_code, prior in self.mapping(student.get("prior") or {}, f"{key}.prior").items():
            if ue_code not in ues:
                self.fail(f"{key}.prior.{short(ue_code)}", "UE absente de `ues`")
            code = prior.get("code") if isinstance(prior, dict) else prior
            self.choice(code, f"{key}.prior.{ue_code}", [c.value for c in DecisionCode])
            if isinstance(prior, dict) and prior.get("average") is not None:
                self.number(prior["average"], f"{key}.prior.{ue_code}.average", minimum=0, maximum=20,
                            field=FIELD["prior_average"])
        path = student["path"]
        if not isinstance(path, list) or not path:
            self.fail(f"{key}.path", "une liste non vide de semestres est attendue")
        for i, entry in enumerate(path):
            self.mapping(entry, f"{key}.path[{i}]", allowed=PATH_KEYS, required={"semester"})
            self.number(entry["semester"], f"{key}.path[{i}].semester", minimum=1, maximum=6, integer=True)
        self._path_order(key, path)
        for i, entry in enumerate(path):
            pkey = f"{key}.path[{i}]"
            self.mapping(entry, pkey, allowed=PATH_KEYS, required={"semester"})
            semester = int(self.number(entry["semester"], f"{pkey}.semester", minimum=1, maximum=6, integer=True))
            if entry.get("bonus") is not None:
                self.number(entry["bonus"], f"{pkey}.bonus", minimum=BONUS_MIN, maximum=BONUS_MAX,
                            field=FIELD["bonus"])
            if "absences" in entry:
                absences = self.mapping(entry["absences"], f"{pkey}.absences", allowed=ABSENCES_KEYS,
                                        required=ABSENCES_KEYS)
                self.number(absences["unjustified_half_days"], f"{pkey}.absences.unjustified_half_days", minimum=0,
                            maximum=MAX_HALF_DAYS, integer=True)
            for module_code, grades in self.mapping(entry.get("grades") or {}, f"{pkey}.grades").items():
                gkey = f"{pkey}.grades.{module_code}"
                module = modules.get(module_code) if hashable(module_code) else None
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
                if not isinstance(subject, str) or len(subject) > FIELD["jury_subject"].max_length:
                    self.fail(f"{pkey}.jury.{short(subject)}", "ni une UE, ni une clé de RCUE (C1-2), ni `year`")
                if subject != "year" and subject not in ues and not RCUE_KEY.match(str(subject)):
                    self.fail(f"{pkey}.jury.{subject}", "ni une UE, ni une clé de RCUE (C1-2), ni `year`")
                if semester % 2 and subject not in ues:
                    what = "une décision d'année" if subject == "year" else "une décision de RCUE"
                    self.fail(f"{pkey}.jury.{subject}", f"{what} au jury du semestre impair {semester} : ce jury ne "
                                                        f"décide que des UE (R13)")
                self.choice(code, f"{pkey}.jury.{subject}", [c.value for c in DecisionCode])

    def _grade(self, grade, key, maximum):
        if grade is None:
            return
        if isinstance(grade, str):
            self.choice(grade.upper(), key, [c.value for c in GradeCode])
            return
        self.number(grade, key, minimum=0, maximum=maximum, field=FIELD["grade"])


def _kind(value) -> str:
    return {dict: "un dictionnaire", list: "une liste", str: f"le texte « {short(value)} »",
            type(None): "rien"}.get(type(value), f"« {short(value)} »")
