"""Load the reference data and the programmes from the YAML fixtures (format: fixtures/README.md).

Every write is keyed by natural keys (codes), so loading a file twice changes nothing, and what a file no
longer lists is removed. Numbers are read from the YAML text, so ``1.5`` becomes ``Decimal("1.5")`` exactly.
A file that cannot be loaded raises FixtureError, whose French message names the file, the key path and
the problem; nothing of that file is written (one transaction per file; `load_all` runs in one transaction).

Reading is in `fixture_yaml` (YAML, typed access) and `fixture_programme_specs` (a programme file as specs),
writing a row in `fixture_writer` (only what differs, counted and logged); this module loads whole files. A
programme that a jury has frozen (`curriculum.versions`) is not changed: a file that would change it raises
FrozenProgrammeError. Every change of an existing programme is audited
(`ProgrammeChange`, source "fixtures").
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from curriculum import audit
from curriculum.errors import FROZEN_FIXTURE, locked_semesters_text
from curriculum.fixture_programme_specs import PROGRAMME_FILE_KEYS, PROGRAMME_KEYS, SemesterSpec, read_semesters
from curriculum.fixture_writer import FixtureWriter
from curriculum.fixture_yaml import FixtureError, Reader, at, read_fixture
from curriculum.models import (
    UE,
    Competence,
    CompetenceBlock,
    CompetenceLevel,
    CriticalLearning,
    HoursMode,
    Modality,
    Module,
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

_REFERENCE_KEYS = frozenset({"speciality", "parcours", "competences", "blocks"})
_SPECIALITY_KEYS = frozenset({"code", "name", "rncp"})
_PARCOURS_KEYS = frozenset({"code", "name"})
_COMPETENCE_KEYS = frozenset({"code", "number", "short_name", "name", "parcours", "levels"})
_LEVEL_KEYS = frozenset({"level", "label", "critical_learnings"})
_LEARNING_KEYS = frozenset({"code", "text"})
_BLOCK_KEYS = frozenset({"code", "title", "competence", "skills"})


class FrozenProgrammeError(FixtureError):
    """A file that would change a frozen programme: the message names the programme and its locked semesters."""


@dataclass(frozen=True)
class LoadResult:
    """What loading one file did: ``summary`` is a French line, ``changes`` the rows written or deleted."""

    path: Path
    code: str
    summary: str
    changes: int


# --- Reference (gmp.yaml) ----------------------------------------------------------------------------------


def load_reference(path: str | Path) -> LoadResult:
    """Load the national reference (speciality, parcours, competences, levels, blocks) from ``path``."""
    path = Path(path)
    reader = Reader(path.name)
    root = reader.mapping(read_fixture(path), "", allowed=_REFERENCE_KEYS,
                          required=("speciality", "parcours", "competences"))
    writer = FixtureWriter(reader)
    with transaction.atomic():
        speciality = _write_speciality(reader, writer, root["speciality"])
        parcours = _write_parcours(reader, writer, speciality, root["parcours"])
        competences = _write_competences(reader, writer, speciality, parcours, root["competences"])
        blocks = _write_blocks(reader, writer, speciality, competences, root.get("blocks"))
    levels = sum(len(levels) for levels in competences.values())
    summary = (f"Référentiel {speciality.code} : {len(parcours)} parcours, {len(competences)} compétences, "
               f"{levels} niveaux, {blocks} blocs")
    return LoadResult(path=path, code=speciality.code, summary=summary, changes=writer.changes)


def _write_speciality(reader: Reader, writer: FixtureWriter, data: Any) -> Speciality:
    where = "speciality"
    data = reader.mapping(data, where, allowed=_SPECIALITY_KEYS, required=("code", "name"))
    return writer.upsert(Speciality, where, {"code": reader.text(data, "code", where, required=True)}, {
        "name": reader.text(data, "name", where, required=True),
        "rncp": reader.text(data, "rncp", where),
    })


def _write_parcours(reader: Reader, writer: FixtureWriter, speciality: Speciality, data: Any) -> dict[str, Parcours]:
    items = reader.sequence(data, "parcours")
    result: dict[str, Parcours] = {}
    for index, item in enumerate(items):
        where = at("parcours", index)
        item = reader.mapping(item, where, allowed=_PARCOURS_KEYS, required=("code", "name"))
        code = reader.text(item, "code", where, required=True)
        if code in result:
            reader.fail(at(where, "code"), f"parcours « {code} » en double")
        result[code] = writer.upsert(Parcours, where, {"speciality": speciality, "code": code},
                                     {"name": reader.text(item, "name", where, required=True)})
    writer.prune(speciality.parcours.all(), [p.pk for p in result.values()], "parcours", "parcours")
    return result


def _write_competences(reader: Reader, writer: FixtureWriter, speciality: Speciality, parcours: dict[str, Parcours],
                       data: Any) -> dict[str, list[CompetenceLevel]]:
    items = reader.sequence(data, "competences")
    result: dict[str, list[CompetenceLevel]] = {}
    kept = []
    for index, item in enumerate(items):
        where = at("competences", index)
        item = reader.mapping(item, where, allowed=_COMPETENCE_KEYS,
                              required=("code", "number", "short_name", "name", "levels"))
        code = reader.text(item, "code", where, required=True)
        if code in result:
            reader.fail(at(where, "code"), f"compétence « {code} » en double")
        parcours_code = reader.text(item, "parcours", where)
        if parcours_code and parcours_code not in parcours:
            reader.fail(at(where, "parcours"), f"parcours « {parcours_code} » absent de la liste parcours")
        competence = writer.upsert(Competence, where, {"speciality": speciality, "code": code}, {
            "short_name": reader.text(item, "short_name", where, required=True),
            "name": reader.text(item, "name", where, required=True),
            "number": reader.integer(item, "number", where),
            "parcours": parcours.get(parcours_code) if parcours_code else None,
        })
        kept.append(competence.pk)
        result[code] = _write_levels(reader, writer, competence, item["levels"], at(where, "levels"))
    writer.prune(speciality.competences.all(), kept, "competences", "compétence(s)")
    return result


def _write_levels(reader: Reader, writer: FixtureWriter, competence: Competence, data: Any,
                  where_levels: str) -> list[CompetenceLevel]:
    items = reader.sequence(data, where_levels)
    levels: list[CompetenceLevel] = []
    numbers = set()
    for index, item in enumerate(items):
        where = at(where_levels, index)
        item = reader.mapping(item, where, allowed=_LEVEL_KEYS, required=("level", "label"))
        number = reader.integer(item, "level", where)
        if number in numbers:
            reader.fail(at(where, "level"), f"niveau {number} en double")
        numbers.add(number)
        level = writer.upsert(CompetenceLevel, where, {"competence": competence, "level": number},
                              {"label": reader.text(item, "label", where, required=True)})
        levels.append(level)
        _write_learnings(reader, writer, level, item.get("critical_learnings"), at(where, "critical_learnings"))
    writer.prune(competence.levels.all(), [lv.pk for lv in levels], where_levels, "niveau(x)")
    return levels


def _write_learnings(reader: Reader, writer: FixtureWriter, level: CompetenceLevel, data: Any, where_list: str) -> None:
    kept = []
    for index, item in enumerate(reader.sequence(data, where_list, allow_none=True)):
        where = at(where_list, index)
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


def _write_blocks(reader: Reader, writer: FixtureWriter, speciality: Speciality,
                  competences: dict[str, list[CompetenceLevel]], data: Any) -> int:
    items = reader.sequence(data, "blocks", allow_none=True)
    kept, codes = [], set()
    for index, item in enumerate(items):
        where = at("blocks", index)
        item = reader.mapping(item, where, allowed=_BLOCK_KEYS, required=("code", "title"))
        code = reader.text(item, "code", where, required=True)
        if code in codes:
            reader.fail(at(where, "code"), f"bloc « {code} » en double")
        codes.add(code)
        competence_code = reader.text(item, "competence", where)
        if competence_code and competence_code not in competences:
            reader.fail(at(where, "competence"), f"compétence « {competence_code} » absente de competences")
        skills = [reader.string(skill, at(at(where, "skills"), i))
                  for i, skill in enumerate(reader.sequence(item.get("skills"), at(where, "skills"), allow_none=True))]
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


def load_programme_file(path: str | Path) -> LoadResult:
    """Load one IUT programme (semesters, modules, UEs and coefficient matrix) from ``path``."""
    path = Path(path)
    reader = Reader(path.name)
    root = reader.mapping(read_fixture(path), "", allowed=PROGRAMME_FILE_KEYS, required=("programme", "semesters"))
    head = reader.mapping(root["programme"], "programme", allowed=PROGRAMME_KEYS,
                          required=("code", "title", "iut", "parcours", "modality", "first_year", "hours_mode"))
    where = "programme"
    reader.sheet(head, where)
    speciality_code = reader.text(head, "speciality", where, default=DEFAULT_SPECIALITY)
    speciality = Speciality.objects.filter(code=speciality_code).first()
    if speciality is None:
        reader.fail(at(where, "speciality"), f"spécialité « {speciality_code} » absente (charger {REFERENCE_FILE})")
    parcours_code = reader.text(head, "parcours", where, required=True)
    parcours = speciality.parcours.filter(code=parcours_code).first()
    if parcours is None:
        reader.fail(at(where, "parcours"), f"parcours « {parcours_code} » inconnu du référentiel {speciality.code}")
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
    semesters = read_semesters(reader, root["semesters"], speciality, parcours, hours_mode)

    writer = FixtureWriter(reader)
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


def _audit(path: Path, existing: Programme | None, programme: Programme, writer: FixtureWriter) -> None:
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


def _write_semester(writer: FixtureWriter, programme: Programme, spec: SemesterSpec) -> Semester:
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
    writer.prune(ModuleUE.objects.filter(ue__semester=semester), kept_rows, at(spec.where, "ues"), "coefficient(s)")
    writer.prune(semester.ues.all(), kept_ues, at(spec.where, "ues"), "UE")
    writer.prune(semester.modules.all(), [m.pk for m in modules.values()], at(spec.where, "modules"), "module(s)")
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
