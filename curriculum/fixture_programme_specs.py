"""Read a programme file (programmes/*.yaml) into plain specs, checked, before anything is written."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from curriculum.fixture_yaml import ZERO, Reader, at, show, unique
from curriculum.models import CompetenceLevel, HoursMode, ModuleKind, Parcours, Speciality

HOUR_FIELDS = ("cm", "td", "tp", "project")
CODE_SOURCES = frozenset({"sheet", "derived"})
PROGRAMME_FILE_KEYS = frozenset({"programme", "semesters"})
PROGRAMME_KEYS = frozenset({
    "code", "title", "iut", "speciality", "parcours", "modality", "first_year", "hours_mode", "source", "notes",
    "sheet", "sheet_mismatch",
})
SEMESTER_KEYS = frozenset({"number", "notes", "sheet", "sheet_mismatch", "modules", "ues"})
MODULE_KEYS = frozenset({
    "title", "kind", "evaluation", "domain", "domain_coefficient", "hours", "notes", "code_source",
})
UE_KEYS = frozenset({
    "code", "title", "competence", "level", "ects", "rcue_coef", "parcours", "sheet", "sheet_mismatch", "notes",
    "rows",
})
ROW_KEYS = frozenset({"module", "coef", *HOUR_FIELDS})


@dataclass
class RowSpec:
    module: str
    coefficient: Decimal | None
    hours: dict[str, Decimal]
    where: str


@dataclass
class UESpec:
    code: str
    title: str
    level: CompetenceLevel
    ects: Decimal
    rcue_coefficient: Decimal
    parcours: list[Parcours]
    notes: str
    rows: list[RowSpec]
    where: str


@dataclass
class ModuleSpec:
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
class SemesterSpec:
    number: int
    notes: str
    modules: dict[str, ModuleSpec]
    ues: list[UESpec]
    where: str


def read_semesters(reader: Reader, data: Any, speciality: Speciality, parcours: Parcours,
                    hours_mode: str) -> list[SemesterSpec]:
    levels = {(lv.competence.code, lv.level): lv
              for lv in CompetenceLevel.objects.filter(competence__speciality=speciality).select_related(
                  "competence__parcours")}
    all_parcours = {p.code: p for p in speciality.parcours.all()}
    result: list[SemesterSpec] = []
    for index, item in enumerate(reader.sequence(data, "semesters")):
        where = at("semesters", index)
        item = reader.mapping(item, where, allowed=SEMESTER_KEYS, required=("number", "modules", "ues"))
        number = reader.integer(item, "number", where)
        if not 1 <= number <= 6:
            reader.fail(at(where, "number"), f"semestre {number} hors de 1 à 6")
        if any(s.number == number for s in result):
            reader.fail(at(where, "number"), f"semestre {number} en double")
        reader.sheet(item, where)
        modules = read_modules(reader, item["modules"], at(where, "modules"))
        ues = [read_ue(reader, ue, at(at(where, "ues"), i), number, modules, levels, all_parcours, parcours)
               for i, ue in enumerate(reader.sequence(item["ues"], at(where, "ues")))]
        unique(reader, [(ue.code, at(ue.where, "code")) for ue in ues], "UE")
        compute_hours(reader, modules, ues, hours_mode)
        result.append(SemesterSpec(number=number, notes=reader.text(item, "notes", where), modules=modules,
                                    ues=ues, where=where))
    return result


def read_modules(reader: Reader, data: Any, where_modules: str) -> dict[str, ModuleSpec]:
    if not isinstance(data, dict):
        reader.fail(where_modules, f"dictionnaire attendu, {show(data)} reçu")
    modules: dict[str, ModuleSpec] = {}
    for code, item in data.items():
        where = at(where_modules, str(code))
        item = reader.mapping(item, where, allowed=MODULE_KEYS, required=("title", "kind"))
        code_source = "sheet"
        if item.get("code_source") is not None:
            code_source = reader.choice(item, "code_source", where, sorted(CODE_SOURCES))
        explicit = None
        if item.get("hours") is not None:
            hours = reader.mapping(item["hours"], at(where, "hours"), allowed=frozenset(HOUR_FIELDS))
            explicit = {name: reader.decimal(hours, name, at(where, "hours")) for name in HOUR_FIELDS}
        modules[str(code)] = ModuleSpec(
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


def read_ue(reader: Reader, item: Any, where: str, semester: int, modules: dict[str, ModuleSpec],
             levels: dict[tuple[str, int], CompetenceLevel], all_parcours: dict[str, Parcours],
             parcours: Parcours) -> UESpec:
    item = reader.mapping(item, where, allowed=UE_KEYS, required=("code", "competence", "level", "ects", "rows"))
    reader.sheet(item, where)
    competence = reader.text(item, "competence", where, required=True)
    if not any(code == competence for code, _ in levels):
        reader.fail(at(where, "competence"), f"compétence « {competence} » inconnue du référentiel")
    number = reader.integer(item, "level", where)
    level = levels.get((competence, number))
    if level is None:
        reader.fail(at(where, "level"), f"niveau {number} absent pour la compétence « {competence} »")
    if level.competence.parcours_id and level.competence.parcours_id != parcours.pk:
        reader.fail(at(where, "competence"),
                    f"compétence « {competence} » du parcours {level.competence.parcours.code}, "
                    f"le programme est du parcours {parcours.code}")
    ue_parcours = []
    for i, code in enumerate(reader.sequence(item.get("parcours"), at(where, "parcours"), allow_none=True)):
        if not isinstance(code, str) or code not in all_parcours:
            reader.fail(at(at(where, "parcours"), i), f"parcours {show(code)} inconnu du référentiel")
        ue_parcours.append(all_parcours[code])
    rows = []
    for i, row in enumerate(reader.sequence(item["rows"], at(where, "rows"))):
        row_where = at(at(where, "rows"), i)
        row = reader.mapping(row, row_where, allowed=ROW_KEYS, required=("module", "coef"))
        module = reader.text(row, "module", row_where, required=True)
        if module not in modules:
            reader.fail(at(row_where, "module"), f"module « {module} » absent du catalogue du semestre {semester}")
        rows.append(RowSpec(
            module=module,
            coefficient=reader.decimal(row, "coef", row_where, nullable=True),
            hours={name: reader.decimal(row, name, row_where) for name in HOUR_FIELDS},
            where=row_where,
        ))
    unique(reader, [(row.module, at(row.where, "module")) for row in rows], "module")
    return UESpec(
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


def compute_hours(reader: Reader, modules: dict[str, ModuleSpec], ues: list[UESpec], hours_mode: str) -> None:
    """Set each module's own hours: split = sum of its rows; repeated = explicit hours, or its rows' (equal) hours."""
    rows_by_module: dict[str, list[RowSpec]] = {code: [] for code in modules}
    for ue in ues:
        for row in ue.rows:
            rows_by_module[row.module].append(row)
    for code, module in modules.items():
        rows = rows_by_module[code]
        if hours_mode == HoursMode.SPLIT:
            total = {name: sum((row.hours[name] for row in rows), ZERO) for name in HOUR_FIELDS}
            if module.explicit_hours is not None and module.explicit_hours != total:
                reader.fail(at(module.where, "hours"),
                            f"heures {format_hours(module.explicit_hours)} différentes de la somme de ses lignes "
                            f"{format_hours(total)}")
            module.hours = total
        elif module.explicit_hours is not None:
            module.hours = module.explicit_hours
        else:
            distinct = {tuple(row.hours[name] for name in HOUR_FIELDS) for row in rows}
            if len(distinct) > 1:
                listed = " ; ".join(f"{row.where} {format_hours(row.hours)}" for row in rows)
                reader.fail(at(module.where, "hours"),
                            f"heures différentes selon les lignes ({listed}) : donner hours")
            module.hours = dict(zip(HOUR_FIELDS, distinct.pop(), strict=True)) if distinct else {
                name: ZERO for name in HOUR_FIELDS}


def format_hours(hours: dict[str, Decimal]) -> str:
    return "{" + ", ".join(f"{name}: {hours[name]}" for name in HOUR_FIELDS) + "}"
