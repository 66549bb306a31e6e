"""Load the reference data and the programmes from the YAML fixtures (format: fixtures/README.md).

Every write is keyed by natural keys (codes), so loading a file twice changes nothing, and what a file no
longer lists is removed. Numbers are read from the YAML text, so ``1.5`` becomes ``Decimal("1.5")`` exactly.
A file that cannot be loaded raises FixtureError, whose French message names the file, the key path and
the problem; nothing of that file is written (one transaction per file; `load_all` runs in one transaction).

A programme that a jury has frozen (`curriculum.versions`) is not changed: a file that would change it raises
FrozenProgrammeError. Every change of an existing programme is audited (`ProgrammeChange`, source "fixtures").
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NoReturn

import yaml
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError

from curriculum import audit
from curriculum.errors import FROZEN_FIXTURE, locked_semesters_text
from curriculum.models import (
    UE,
    Competence,
    CompetenceBlock,
    CompetenceLevel,
    CriticalLearning,
    HoursMode,
    Modality,
    Module,
    ModuleKind,
    ModuleUE,
    Parcours,
    Programme,
    Semester,
    Speciality,
)
from curriculum.versions import locked_semester_labels

REFERENCE_FILE = "gmp.yaml"
PROGRAMMES_DIR = "programmes"
DEFAULT_SPECIALITY = "GMP"
HOUR_FIELDS = ("cm", "td", "tp", "project")
SHEET_FIELDS = frozenset({
    "cm", "td", "tp", "project", "total", "cm_td", "coefficient", "resources_coefficient", "sae_coefficient", "ects",
    "module_td", "module_tp", "module_total", "domain_coefficient",
})
CODE_SOURCES = frozenset({"sheet", "derived"})
ZERO = Decimal("0")

_REFERENCE_KEYS = frozenset({"speciality", "parcours", "competences", "blocks"})
_SPECIALITY_KEYS = frozenset({"code", "name", "rncp"})
_PARCOURS_KEYS = frozenset({"code", "name"})
_COMPETENCE_KEYS = frozenset({"code", "number", "short_name", "name", "parcours", "levels"})
_LEVEL_KEYS = frozenset({"level", "label", "critical_learnings"})
_LEARNING_KEYS = frozenset({"code", "text"})
_BLOCK_KEYS = frozenset({"code", "title", "competence", "skills"})
_PROGRAMME_FILE_KEYS = frozenset({"programme", "semesters"})
_PROGRAMME_KEYS = frozenset({
    "code", "title", "iut", "speciality", "parcours", "modality", "first_year", "hours_mode", "source", "notes",
    "sheet", "sheet_mismatch",
})
_SEMESTER_KEYS = frozenset({"number", "notes", "sheet", "sheet_mismatch", "modules", "ues"})
_MODULE_KEYS = frozenset({
    "title", "kind", "evaluation", "domain", "domain_coefficient", "hours", "notes", "code_source",
})
_UE_KEYS = frozenset({
    "code", "title", "competence", "level", "ects", "rcue_coef", "parcours", "sheet", "sheet_mismatch", "notes",
    "rows",
})
_ROW_KEYS = frozenset({"module", "coef", *HOUR_FIELDS})


class FixtureError(Exception):
    """A fixture file that cannot be loaded: the message names the file, the key path and the problem."""


class FrozenProgrammeError(FixtureError):
    """A file that would change a frozen programme: the message names the programme and its locked semesters."""


@dataclass(frozen=True)
class LoadResult:
    """What loading one file did: ``summary`` is a French line, ``changes`` the rows written or deleted."""

    path: Path
    code: str
    summary: str
    changes: int


# --- YAML reading ------------------------------------------------------------------------------------------


class YamlNumber(str):
    """The text of a YAML number, kept as written so that it becomes an exact Decimal."""


class _FixtureLoader(yaml.SafeLoader):
    """Read numbers as their text and refuse a key given twice in one mapping."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
            seen = set()
            for key_node, _value_node in node.value:
                key = self.construct_object(key_node, deep=True)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"clé « {key} » en double", key_node.start_mark)
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _construct_number(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> YamlNumber:
    return YamlNumber(loader.construct_scalar(node))


_FixtureLoader.add_constructor("tag:yaml.org,2002:int", _construct_number)
_FixtureLoader.add_constructor("tag:yaml.org,2002:float", _construct_number)


def read_fixture(path: str | Path) -> Any:
    """Return the parsed YAML of ``path``, numbers as YamlNumber (their text); FixtureError if unreadable."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FixtureError(f"{path.name}: (fichier): fichier absent") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FixtureError(f"{path.name}: (fichier): lecture impossible ({exc})") from None
    try:
        return yaml.load(text, Loader=_FixtureLoader)  # noqa: S506 — a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"ligne {mark.line + 1}, colonne {mark.column + 1}" if mark else "(document)"
        problem = getattr(exc, "problem", None) or str(exc)
        raise FixtureError(f"{path.name}: {where}: YAML invalide : {problem}") from None


def _at(where: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{where}[{key}]"
    return f"{where}.{key}" if where else str(key)


def _show(value: Any) -> str:
    if value is None:
        return "valeur vide"
    if isinstance(value, dict):
        return "un dictionnaire"
    if isinstance(value, list):
        return "une liste"
    return f"« {value} »"


@dataclass(frozen=True)
class _Reader:
    """Typed access to the parsed YAML, failing with the file name and the key path."""

    filename: str

    def fail(self, where: str, problem: str) -> NoReturn:
        raise FixtureError(f"{self.filename}: {where or '(racine)'}: {problem}")

    def mapping(self, value: Any, where: str, *, allowed: frozenset[str], required: Iterable[str] = ()) -> dict:
        if not isinstance(value, dict):
            self.fail(where, f"dictionnaire attendu, {_show(value)} reçu")
        for key in value:
            if key not in allowed:
                self.fail(_at(where, str(key)), "clé inconnue")
        for key in required:
            if key not in value:
                self.fail(_at(where, key), "clé obligatoire absente")
        return value

    def sequence(self, value: Any, where: str, *, allow_none: bool = False) -> list:
        if value is None and allow_none:
            return []
        if not isinstance(value, list):
            self.fail(where, f"liste attendue, {_show(value)} reçu")
        return value

    def text(self, data: dict, key: str, where: str, *, required: bool = False, default: str = "") -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(_at(where, key), "texte attendu, valeur vide")
            return default
        value = self.string(value, _at(where, key))
        if required and not value:
            self.fail(_at(where, key), "texte attendu, valeur vide")
        return value

    def string(self, value: Any, where: str) -> str:
        if isinstance(value, bool) or not isinstance(value, str):
            self.fail(where, f"texte attendu, {_show(value)} reçu")
        return str(value).strip()

    def number(self, value: Any, where: str) -> Decimal:
        if not isinstance(value, YamlNumber):
            self.fail(where, f"nombre attendu, {_show(value)} reçu")
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.fail(where, f"nombre invalide {_show(value)}")
        if not number.is_finite():
            self.fail(where, f"nombre invalide {_show(value)}")
        if number < 0:
            self.fail(where, f"nombre négatif {_show(value)}")
        return number

    def decimal(self, data: dict, key: str, where: str, *, default: Decimal | None = ZERO,
                nullable: bool = False) -> Decimal | None:
        if key not in data:
            return default
        if data[key] is None:
            if nullable:
                return None
            self.fail(_at(where, key), "nombre attendu, valeur vide")
        return self.number(data[key], _at(where, key))

    def integer(self, data: dict, key: str, where: str, *, default: int | None = None) -> int:
        if key not in data and default is not None:
            return default
        number = self.decimal(data, key, where)
        if number != number.to_integral_value():
            self.fail(_at(where, key), f"nombre entier attendu, « {data[key]} » reçu")
        return int(number)

    def choice(self, data: dict, key: str, where: str, choices: Iterable[str]) -> str:
        value = self.text(data, key, where, required=True)
        choices = list(choices)
        if value not in choices:
            self.fail(_at(where, key), f"valeur « {value} » inconnue (attendu : {', '.join(choices)})")
        return value

    def sheet(self, data: dict, where: str) -> None:
        """Check a ``sheet:`` block and its ``sheet_mismatch:`` list (they are not stored)."""
        sheet = data.get("sheet")
        if sheet is not None:
            self.mapping(sheet, _at(where, "sheet"), allowed=SHEET_FIELDS)
            for key, value in sheet.items():
                self.number(value, _at(_at(where, "sheet"), key))
        mismatch = self.sequence(data.get("sheet_mismatch"), _at(where, "sheet_mismatch"), allow_none=True)
        for index, name in enumerate(mismatch):
            if not isinstance(name, str) or name not in (sheet or {}):
                self.fail(_at(_at(where, "sheet_mismatch"), index), f"champ {_show(name)} absent de sheet")
        if mismatch and not self.text(data, "notes", where):
            self.fail(_at(where, "notes"), "un écart déclaré (sheet_mismatch) doit être expliqué dans notes")


def _unique(reader: _Reader, items: list[tuple[Any, str]], what: str) -> None:
    seen = set()
    for key, where in items:
        if key in seen:
            reader.fail(where, f"{what} « {key} » en double")
        seen.add(key)


# --- Writing -----------------------------------------------------------------------------------------------


@dataclass
class _Writer:
    """Idempotent writes: save only what differs, count every change."""

    reader: _Reader
    changes: int = 0
    log: list[audit.Change] = field(default_factory=list)  # what changed, for the audit of programmes

    def upsert(self, model: type[models.Model], where: str, lookup: dict, values: dict) -> Any:
        obj = model.objects.filter(**lookup).first()
        created = obj is None
        if created:
            obj, diffs = model(**lookup, **values), []
        else:
            diffs = [(name, getattr(obj, name), value) for name, value in values.items()
                     if getattr(obj, name) != value]
            for name, value in values.items():
                setattr(obj, name, value)
        if created or diffs:
            try:
                obj.full_clean()
            except ValidationError as exc:
                self.reader.fail(where, _validation_message(exc))
            obj.save()
            self.changes += 1
            number = audit.semester_number_of(obj)
            if created:
                self.log.append(audit.Change(audit.Action.CREATE, audit.subject_of(obj), semester_number=number))
            self.log += [audit.Change(audit.Action.UPDATE, audit.subject_of(obj),
                                      str(model._meta.get_field(name).verbose_name), audit.show(old),
                                      audit.show(new), number) for name, old, new in diffs]
        return obj

    def prune(self, queryset: models.QuerySet, keep: Iterable[int], where: str, what: str) -> None:
        stale = queryset.exclude(pk__in=list(keep))
        names = [str(obj) for obj in stale]
        if not names:
            return
        self.log += [audit.Change(audit.Action.DELETE, audit.subject_of(obj),
                                  semester_number=audit.semester_number_of(obj)) for obj in stale]
        try:
            stale.delete()
        except ProtectedError:
            self.reader.fail(where, f"{what} absent(s) du fichier mais encore utilisé(s) : {', '.join(names)}")
        self.changes += len(names)

    def set_m2m(self, manager: Any, objects: list[models.Model]) -> None:
        wanted = {obj.pk for obj in objects}
        if set(manager.values_list("pk", flat=True)) != wanted:
            old = ", ".join(sorted(str(obj) for obj in manager.all()))
            manager.set(objects)
            self.changes += 1
            self.log.append(audit.Change(audit.Action.UPDATE, audit.subject_of(manager.instance), "parcours", old,
                                         ", ".join(sorted(str(obj) for obj in objects)),
                                         audit.semester_number_of(manager.instance)))


def _validation_message(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return " ; ".join(f"{name} : {' '.join(msgs)}" for name, msgs in exc.message_dict.items())
    return " ; ".join(exc.messages)


# --- Reference (gmp.yaml) ----------------------------------------------------------------------------------


def load_reference(path: str | Path) -> LoadResult:
    """Load the national reference (speciality, parcours, competences, levels, blocks) from ``path``."""
    path = Path(path)
    reader = _Reader(path.name)
    root = reader.mapping(read_fixture(path), "", allowed=_REFERENCE_KEYS,
                          required=("speciality", "parcours", "competences"))
    writer = _Writer(reader)
    with transaction.atomic():
        speciality = _write_speciality(reader, writer, root["speciality"])
        parcours = _write_parcours(reader, writer, speciality, root["parcours"])
        competences = _write_competences(reader, writer, speciality, parcours, root["competences"])
        blocks = _write_blocks(reader, writer, speciality, competences, root.get("blocks"))
    levels = sum(len(levels) for levels in competences.values())
    summary = (f"Référentiel {speciality.code} : {len(parcours)} parcours, {len(competences)} compétences, "
               f"{levels} niveaux, {blocks} blocs")
    return LoadResult(path=path, code=speciality.code, summary=summary, changes=writer.changes)


def _write_speciality(reader: _Reader, writer: _Writer, data: Any) -> Speciality:
    where = "speciality"
    data = reader.mapping(data, where, allowed=_SPECIALITY_KEYS, required=("code", "name"))
    return writer.upsert(Speciality, where, {"code": reader.text(data, "code", where, required=True)}, {
        "name": reader.text(data, "name", where, required=True),
        "rncp": reader.text(data, "rncp", where),
    })


def _write_parcours(reader: _Reader, writer: _Writer, speciality: Speciality, data: Any) -> dict[str, Parcours]:
    items = reader.sequence(data, "parcours")
    result: dict[str, Parcours] = {}
    for index, item in enumerate(items):
        where = _at("parcours", index)
        item = reader.mapping(item, where, allowed=_PARCOURS_KEYS, required=("code", "name"))
        code = reader.text(item, "code", where, required=True)
        if code in result:
            reader.fail(_at(where, "code"), f"parcours « {code} » en double")
        result[code] = writer.upsert(Parcours, where, {"speciality": speciality, "code": code},
                                     {"name": reader.text(item, "name", where, required=True)})
    writer.prune(speciality.parcours.all(), [p.pk for p in result.values()], "parcours", "parcours")
    return result


def _write_competences(reader: _Reader, writer: _Writer, speciality: Speciality, parcours: dict[str, Parcours],
                       data: Any) -> dict[str, list[CompetenceLevel]]:
    items = reader.sequence(data, "competences")
    result: dict[str, list[CompetenceLevel]] = {}
    kept = []
    for index, item in enumerate(items):
        where = _at("competences", index)
        item = reader.mapping(item, where, allowed=_COMPETENCE_KEYS,
                              required=("code", "number", "short_name", "name", "levels"))
        code = reader.text(item, "code", where, required=True)
        if code in result:
            reader.fail(_at(where, "code"), f"compétence « {code} » en double")
        parcours_code = reader.text(item, "parcours", where)
        if parcours_code and parcours_code not in parcours:
            reader.fail(_at(where, "parcours"), f"parcours « {parcours_code} » absent de la liste parcours")
        competence = writer.upsert(Competence, where, {"speciality": speciality, "code": code}, {
            "short_name": reader.text(item, "short_name", where, required=True),
            "name": reader.text(item, "name", where, required=True),
            "number": reader.integer(item, "number", where),
            "parcours": parcours.get(parcours_code) if parcours_code else None,
        })
        kept.append(competence.pk)
        result[code] = _write_levels(reader, writer, competence, item["levels"], _at(where, "levels"))
    writer.prune(speciality.competences.all(), kept, "competences", "compétence(s)")
    return result


def _write_levels(reader: _Reader, writer: _Writer, competence: Competence, data: Any,
                  where_levels: str) -> list[CompetenceLevel]:
    items = reader.sequence(data, where_levels)
    levels: list[CompetenceLevel] = []
    numbers = set()
    for index, item in enumerate(items):
        where = _at(where_levels, index)
        item = reader.mapping(item, where, allowed=_LEVEL_KEYS, required=("level", "label"))
        number = reader.integer(item, "level", where)
        if number in numbers:
            reader.fail(_at(where, "level"), f"niveau {number} en double")
        numbers.add(number)
        level = writer.upsert(CompetenceLevel, where, {"competence": competence, "level": number},
                              {"label": reader.text(item, "label", where, required=True)})
        levels.append(level)
        _write_learnings(reader, writer, level, item.get("critical_learnings"), _at(where, "critical_learnings"))
    writer.prune(competence.levels.all(), [lv.pk for lv in levels], where_levels, "niveau(x)")
    return levels


def _write_learnings(reader: _Reader, writer: _Writer, level: CompetenceLevel, data: Any, where_list: str) -> None:
    kept = []
    for index, item in enumerate(reader.sequence(data, where_list, allow_none=True)):
        where = _at(where_list, index)
        if isinstance(item, dict):
            item = reader.mapping(item, where, allowed=_LEARNING_KEYS, required=("text",))
            code, text = reader.text(item, "code", where), reader.text(item, "text", where, required=True)
        else:
            code, text = "", reader.string(item, where)
            if not text:
                reader.fail(where, "texte attendu, valeur vide")
        learning = writer.upsert(CriticalLearning, where, {"level": level, "order": index},
                                 {"code": code, "text": text})
        kept.append(learning.pk)
    writer.prune(level.critical_learnings.all(), kept, where_list, "apprentissage(s) critique(s)")


def _write_blocks(reader: _Reader, writer: _Writer, speciality: Speciality,
                  competences: dict[str, list[CompetenceLevel]], data: Any) -> int:
    items = reader.sequence(data, "blocks", allow_none=True)
    kept, codes = [], set()
    for index, item in enumerate(items):
        where = _at("blocks", index)
        item = reader.mapping(item, where, allowed=_BLOCK_KEYS, required=("code", "title"))
        code = reader.text(item, "code", where, required=True)
        if code in codes:
            reader.fail(_at(where, "code"), f"bloc « {code} » en double")
        codes.add(code)
        competence_code = reader.text(item, "competence", where)
        if competence_code and competence_code not in competences:
            reader.fail(_at(where, "competence"), f"compétence « {competence_code} » absente de competences")
        skills = [reader.string(skill, _at(_at(where, "skills"), i))
                  for i, skill in enumerate(reader.sequence(item.get("skills"), _at(where, "skills"), allow_none=True))]
        competence = (Competence.objects.get(speciality=speciality, code=competence_code)
                      if competence_code else None)
        block = writer.upsert(CompetenceBlock, where, {"code": code}, {
            "speciality": speciality,
            "title": reader.text(item, "title", where, required=True),
            "competence": competence,
            "skills": "\n".join(skills),
        })
        kept.append(block.pk)
    writer.prune(speciality.blocks.all(), kept, "blocks", "bloc(s)")
    return len(kept)


# --- Programmes (programmes/*.yaml) ------------------------------------------------------------------------


@dataclass
class _RowSpec:
    module: str
    coefficient: Decimal | None
    hours: dict[str, Decimal]
    where: str


@dataclass
class _UESpec:
    code: str
    title: str
    level: CompetenceLevel
    ects: Decimal
    rcue_coefficient: Decimal
    parcours: list[Parcours]
    notes: str
    rows: list[_RowSpec]
    where: str


@dataclass
class _ModuleSpec:
    code: str
    title: str
    kind: str
    evaluation: str
    domain: str
    domain_coefficient: Decimal | None
    code_derived: bool
    explicit_hours: dict[str, Decimal] | None
    notes: str
    where: str
    hours: dict[str, Decimal] = field(default_factory=dict)


@dataclass
class _SemesterSpec:
    number: int
    notes: str
    modules: dict[str, _ModuleSpec]
    ues: list[_UESpec]
    where: str


def load_programme_file(path: str | Path) -> LoadResult:
    """Load one IUT programme (semesters, modules, UEs and coefficient matrix) from ``path``."""
    path = Path(path)
    reader = _Reader(path.name)
    root = reader.mapping(read_fixture(path), "", allowed=_PROGRAMME_FILE_KEYS, required=("programme", "semesters"))
    head = reader.mapping(root["programme"], "programme", allowed=_PROGRAMME_KEYS,
                          required=("code", "title", "iut", "parcours", "modality", "first_year", "hours_mode"))
    where = "programme"
    reader.sheet(head, where)
    speciality_code = reader.text(head, "speciality", where, default=DEFAULT_SPECIALITY)
    speciality = Speciality.objects.filter(code=speciality_code).first()
    if speciality is None:
        reader.fail(_at(where, "speciality"), f"spécialité « {speciality_code} » absente (charger {REFERENCE_FILE})")
    parcours_code = reader.text(head, "parcours", where, required=True)
    parcours = speciality.parcours.filter(code=parcours_code).first()
    if parcours is None:
        reader.fail(_at(where, "parcours"), f"parcours « {parcours_code} » inconnu du référentiel {speciality.code}")
    hours_mode = reader.choice(head, "hours_mode", where, HoursMode.values)
    values = {
        "title": reader.text(head, "title", where, required=True),
        "iut": reader.text(head, "iut", where, required=True),
        "speciality": speciality,
        "parcours": parcours,
        "modality": reader.choice(head, "modality", where, Modality.values),
        "first_year": reader.integer(head, "first_year", where),
        "hours_mode": hours_mode,
        "source": reader.text(head, "source", where),
        "notes": reader.text(head, "notes", where),
    }
    code = reader.text(head, "code", where, required=True)
    semesters = _read_semesters(reader, root["semesters"], speciality, parcours, hours_mode)

    writer = _Writer(reader)
    with transaction.atomic():
        existing = Programme.objects.filter(code=code).first()
        programme = writer.upsert(Programme, where, {"code": code}, values)
        kept = [_write_semester(writer, programme, spec).pk for spec in semesters]
        writer.prune(programme.semesters.all(), kept, "semesters", "semestre(s)")
        _audit(path, existing, programme, writer)
    summary = (f"Programme {code} : {len(semesters)} semestre(s), {sum(len(s.ues) for s in semesters)} UE, "
               f"{sum(len(s.modules) for s in semesters)} modules, "
               f"{sum(len(u.rows) for s in semesters for u in s.ues)} coefficients")
    return LoadResult(path=path, code=code, summary=summary, changes=writer.changes)


def _audit(path: Path, existing: Programme | None, programme: Programme, writer: _Writer) -> None:
    """Refuse (and roll back) any change of a frozen programme; audit the changes of an existing one."""
    if existing is None:
        audit.record(programme=programme, user=None, source=audit.Source.FIXTURES,
                     changes=[audit.Change(audit.Action.CREATE, programme.code, new=f"chargé depuis {path.name}")])
    elif writer.changes:
        labels = locked_semester_labels(existing.pk)
        if labels:
            raise FrozenProgrammeError(FROZEN_FIXTURE.format(filename=path.name, programme=existing.code,
                                                             semesters=locked_semesters_text(labels)))
        audit.record(programme=programme, changes=writer.log, user=None, source=audit.Source.FIXTURES)


def _read_semesters(reader: _Reader, data: Any, speciality: Speciality, parcours: Parcours,
                    hours_mode: str) -> list[_SemesterSpec]:
    levels = {(lv.competence.code, lv.level): lv
              for lv in CompetenceLevel.objects.filter(competence__speciality=speciality).select_related(
                  "competence__parcours")}
    all_parcours = {p.code: p for p in speciality.parcours.all()}
    result: list[_SemesterSpec] = []
    for index, item in enumerate(reader.sequence(data, "semesters")):
        where = _at("semesters", index)
        item = reader.mapping(item, where, allowed=_SEMESTER_KEYS, required=("number", "modules", "ues"))
        number = reader.integer(item, "number", where)
        if not 1 <= number <= 6:
            reader.fail(_at(where, "number"), f"semestre {number} hors de 1 à 6")
        if any(s.number == number for s in result):
            reader.fail(_at(where, "number"), f"semestre {number} en double")
        reader.sheet(item, where)
        modules = _read_modules(reader, item["modules"], _at(where, "modules"))
        ues = [_read_ue(reader, ue, _at(_at(where, "ues"), i), number, modules, levels, all_parcours, parcours)
               for i, ue in enumerate(reader.sequence(item["ues"], _at(where, "ues")))]
        _unique(reader, [(ue.code, _at(ue.where, "code")) for ue in ues], "UE")
        _compute_hours(reader, modules, ues, hours_mode)
        result.append(_SemesterSpec(number=number, notes=reader.text(item, "notes", where), modules=modules,
                                    ues=ues, where=where))
    return result


def _read_modules(reader: _Reader, data: Any, where_modules: str) -> dict[str, _ModuleSpec]:
    if not isinstance(data, dict):
        reader.fail(where_modules, f"dictionnaire attendu, {_show(data)} reçu")
    modules: dict[str, _ModuleSpec] = {}
    for code, item in data.items():
        where = _at(where_modules, str(code))
        item = reader.mapping(item, where, allowed=_MODULE_KEYS, required=("title", "kind"))
        code_source = "sheet"
        if item.get("code_source") is not None:
            code_source = reader.choice(item, "code_source", where, sorted(CODE_SOURCES))
        explicit = None
        if item.get("hours") is not None:
            hours = reader.mapping(item["hours"], _at(where, "hours"), allowed=frozenset(HOUR_FIELDS))
            explicit = {name: reader.decimal(hours, name, _at(where, "hours")) for name in HOUR_FIELDS}
        modules[str(code)] = _ModuleSpec(
            code=str(code),
            title=reader.text(item, "title", where, required=True),
            kind=reader.choice(item, "kind", where, ModuleKind.values),
            evaluation=reader.text(item, "evaluation", where),
            domain=reader.text(item, "domain", where),
            domain_coefficient=reader.decimal(item, "domain_coefficient", where, default=None, nullable=True),
            code_derived=code_source == "derived",
            explicit_hours=explicit,
            notes=reader.text(item, "notes", where),
            where=where,
        )
    return modules


def _read_ue(reader: _Reader, item: Any, where: str, semester: int, modules: dict[str, _ModuleSpec],
             levels: dict[tuple[str, int], CompetenceLevel], all_parcours: dict[str, Parcours],
             parcours: Parcours) -> _UESpec:
    item = reader.mapping(item, where, allowed=_UE_KEYS, required=("code", "competence", "level", "ects", "rows"))
    reader.sheet(item, where)
    competence = reader.text(item, "competence", where, required=True)
    if not any(code == competence for code, _ in levels):
        reader.fail(_at(where, "competence"), f"compétence « {competence} » inconnue du référentiel")
    number = reader.integer(item, "level", where)
    level = levels.get((competence, number))
    if level is None:
        reader.fail(_at(where, "level"), f"niveau {number} absent pour la compétence « {competence} »")
    if level.competence.parcours_id and level.competence.parcours_id != parcours.pk:
        reader.fail(_at(where, "competence"),
                    f"compétence « {competence} » du parcours {level.competence.parcours.code}, "
                    f"le programme est du parcours {parcours.code}")
    ue_parcours = []
    for i, code in enumerate(reader.sequence(item.get("parcours"), _at(where, "parcours"), allow_none=True)):
        if not isinstance(code, str) or code not in all_parcours:
            reader.fail(_at(_at(where, "parcours"), i), f"parcours {_show(code)} inconnu du référentiel")
        ue_parcours.append(all_parcours[code])
    rows = []
    for i, row in enumerate(reader.sequence(item["rows"], _at(where, "rows"))):
        row_where = _at(_at(where, "rows"), i)
        row = reader.mapping(row, row_where, allowed=_ROW_KEYS, required=("module", "coef"))
        module = reader.text(row, "module", row_where, required=True)
        if module not in modules:
            reader.fail(_at(row_where, "module"), f"module « {module} » absent du catalogue du semestre {semester}")
        rows.append(_RowSpec(
            module=module,
            coefficient=reader.decimal(row, "coef", row_where, nullable=True),
            hours={name: reader.decimal(row, name, row_where) for name in HOUR_FIELDS},
            where=row_where,
        ))
    _unique(reader, [(row.module, _at(row.where, "module")) for row in rows], "module")
    return _UESpec(
        code=reader.text(item, "code", where, required=True),
        title=reader.text(item, "title", where),
        level=level,
        ects=reader.decimal(item, "ects", where),
        rcue_coefficient=reader.decimal(item, "rcue_coef", where, default=Decimal("1")),
        parcours=ue_parcours,
        notes=reader.text(item, "notes", where),
        rows=rows,
        where=where,
    )


def _compute_hours(reader: _Reader, modules: dict[str, _ModuleSpec], ues: list[_UESpec], hours_mode: str) -> None:
    """Set each module's own hours: split = sum of its rows; repeated = explicit hours, or its rows' (equal) hours."""
    rows_by_module: dict[str, list[_RowSpec]] = {code: [] for code in modules}
    for ue in ues:
        for row in ue.rows:
            rows_by_module[row.module].append(row)
    for code, module in modules.items():
        rows = rows_by_module[code]
        if hours_mode == HoursMode.SPLIT:
            total = {name: sum((row.hours[name] for row in rows), ZERO) for name in HOUR_FIELDS}
            if module.explicit_hours is not None and module.explicit_hours != total:
                reader.fail(_at(module.where, "hours"),
                            f"heures {_format_hours(module.explicit_hours)} différentes de la somme de ses lignes "
                            f"{_format_hours(total)}")
            module.hours = total
        elif module.explicit_hours is not None:
            module.hours = module.explicit_hours
        else:
            distinct = {tuple(row.hours[name] for name in HOUR_FIELDS) for row in rows}
            if len(distinct) > 1:
                listed = " ; ".join(f"{row.where} {_format_hours(row.hours)}" for row in rows)
                reader.fail(_at(module.where, "hours"),
                            f"heures différentes selon les lignes ({listed}) : donner hours")
            module.hours = dict(zip(HOUR_FIELDS, distinct.pop(), strict=True)) if distinct else {
                name: ZERO for name in HOUR_FIELDS}


def _format_hours(hours: dict[str, Decimal]) -> str:
    return "{" + ", ".join(f"{name}: {hours[name]}" for name in HOUR_FIELDS) + "}"


def _write_semester(writer: _Writer, programme: Programme, spec: _SemesterSpec) -> Semester:
    semester = writer.upsert(Semester, spec.where, {"programme": programme, "number": spec.number},
                             {"notes": spec.notes})
    modules: dict[str, Module] = {}
    for order, module in enumerate(spec.modules.values()):
        modules[module.code] = writer.upsert(Module, module.where, {"semester": semester, "code": module.code}, {
            "title": module.title,
            "kind": module.kind,
            "domain": module.domain,
            "domain_coefficient": module.domain_coefficient,
            "code_derived": module.code_derived,
            **module.hours,
            "evaluation_type": module.evaluation,
            "order": order,
            "notes": module.notes,
        })
    kept_ues, kept_rows = [], []
    for order, ue_spec in enumerate(spec.ues):
        ue = writer.upsert(UE, ue_spec.where, {"semester": semester, "code": ue_spec.code}, {
            "title": ue_spec.title,
            "competence_level": ue_spec.level,
            "ects": ue_spec.ects,
            "rcue_coefficient": ue_spec.rcue_coefficient,
            "order": order,
            "notes": ue_spec.notes,
        })
        writer.set_m2m(ue.parcours, ue_spec.parcours)
        kept_ues.append(ue.pk)
        for row in ue_spec.rows:
            cell = writer.upsert(ModuleUE, row.where, {"module": modules[row.module], "ue": ue},
                                 {"coefficient": row.coefficient, **row.hours})
            kept_rows.append(cell.pk)
    # Rows first: a row may point at a module or a UE that is about to go.
    writer.prune(ModuleUE.objects.filter(ue__semester=semester), kept_rows, _at(spec.where, "ues"), "coefficient(s)")
    writer.prune(semester.ues.all(), kept_ues, _at(spec.where, "ues"), "UE")
    writer.prune(semester.modules.all(), [m.pk for m in modules.values()], _at(spec.where, "modules"), "module(s)")
    return semester


# --- Everything --------------------------------------------------------------------------------------------


def programme_paths(fixtures_dir: str | Path) -> list[Path]:
    """Return the programme files of ``fixtures_dir``, sorted by name."""
    return sorted((Path(fixtures_dir) / PROGRAMMES_DIR).glob("*.yaml"))


def load_all(fixtures_dir: str | Path, *, report: Callable[[LoadResult], None] | None = None) -> list[LoadResult]:
    """Load gmp.yaml then every programmes/*.yaml (sorted), all or nothing (one transaction)."""
    fixtures_dir = Path(fixtures_dir)
    if not fixtures_dir.is_dir():
        raise FixtureError(f"{fixtures_dir}: (dossier): dossier absent")
    results = []
    loaders = [(load_reference, fixtures_dir / REFERENCE_FILE)]
    loaders += [(load_programme_file, path) for path in programme_paths(fixtures_dir)]
    with transaction.atomic():  # a refused file (a frozen programme, say) leaves the database as it was
        for loader, path in loaders:
            result = loader(path)
            results.append(result)
            if report is not None:
                report(result)
    return results
