"""A programme's Apogée codes: each year's étape (VET) and version and year element, each semester's, UE's, RCUE's
and module's element. All optional; editable on frozen programmes too (they change no result); journaled.

Each object has a name, the one the programme page shows and the two-column sheet (object, code) writes:

    VET BUT2            the étape of the second year           S3       the element of semester 3
    VET BUT2 version    its version                             UE3.1    a UE's element
    BUT2                the year element                        RCUE C1-2  an RCUE's element (competence-level key)
    R3.01               a module's element (« S3 R3.01 » when the code repeats in another semester)
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction

from curriculum import audit
from curriculum.models import UE, ApogeeRcue, ApogeeYear, Module, Programme, Semester

VET, VET_VERSION, YEAR, SEMESTER, UE_KIND, RCUE, MODULE = "vet", "vet_version", "year", "semester", "ue", "rcue", \
    "module"
CODE_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{1,20}$")
MAX_SHEET_ROWS = 2000

UNKNOWN_OBJECT = "ligne {row} : objet « {name} » inconnu dans le programme {programme}"
BAD_CODE = "ligne {row} : code Apogée « {code} » de « {name} » invalide (lettres, chiffres, - _ . ; 20 au plus)"
TWICE = "ligne {row} : « {name} » figure déjà ligne {first}"
TOO_MANY_ROWS = "Feuille refusée : plus de {limit} lignes."
HEADER_WORDS = {"objet", "object", "élément", "element"}


class ApogeeCodesInvalid(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class ApogeeObject:
    name: str  # as the sheet writes it
    label: str  # what it is, in French
    kind: str
    code: str  # the current code ("" when none)
    year: int
    semester: int | None = None
    target_id: int | None = None  # the semester, UE, module or competence level it belongs to


def apogee_objects(*, programme: Programme) -> list[ApogeeObject]:
    """Return every object of the programme that may carry an Apogée code, in the order of the programme."""
    semesters = list(Semester.objects.filter(programme=programme).order_by("number"))
    ues = list(UE.objects.filter(semester__programme=programme)
               .select_related("semester", "competence_level__competence")
               .order_by("semester__number", "order", "code"))
    modules = list(Module.objects.filter(semester__programme=programme).select_related("semester")
                   .order_by("semester__number", "order", "code"))
    years = {y.year: y for y in ApogeeYear.objects.filter(programme=programme)}
    rcue_codes = {r.competence_level_id: r.code for r in ApogeeRcue.objects.filter(programme=programme)}
    repeated = _repeated([u.code for u in ues] + [m.code for m in modules])
    objects = []
    for year in sorted({s.year for s in semesters}):
        codes = years.get(year)
        objects += [
            ApogeeObject(f"VET BUT{year}", f"étape (VET) de BUT{year}", VET, codes.step if codes else "", year),
            ApogeeObject(f"VET BUT{year} version", f"version de l'étape de BUT{year}", VET_VERSION,
                         codes.step_version if codes else "", year),
            ApogeeObject(f"BUT{year}", f"élément année BUT{year}", YEAR, codes.year_element if codes else "", year)]
        levels: dict[int, list[UE]] = {}
        for ue in ues:
            if ue.semester.year == year:
                levels.setdefault(ue.competence_level_id, []).append(ue)
        for level_id, members in levels.items():
            if len({u.semester_id for u in members}) >= 2:
                level = members[0].competence_level
                objects.append(ApogeeObject(f"RCUE {level.rcue_key}", f"RCUE {level.competence.short_name} niveau "
                                            f"{level.level}", RCUE, rcue_codes.get(level_id, ""), year,
                                            target_id=level_id))
        for semester in (s for s in semesters if s.year == year):
            objects.append(ApogeeObject(f"S{semester.number}", f"semestre {semester.number}", SEMESTER,
                                        semester.apogee_code, year, semester.number, semester.pk))
            for ue in (u for u in ues if u.semester_id == semester.pk):
                objects.append(ApogeeObject(_name(ue.code, semester.number, repeated), _ue_label(ue), UE_KIND,
                                            ue.apogee_code, year, semester.number, ue.pk))
            for module in (m for m in modules if m.semester_id == semester.pk):
                objects.append(ApogeeObject(_name(module.code, semester.number, repeated),
                                            f"{module.code} {module.title}", MODULE, module.apogee_code, year,
                                            semester.number, module.pk))
    return objects


def _ue_label(ue: UE) -> str:
    """« UE3.1 Spécifier niveau 2 » (the UE's own title when it has one)."""
    level = ue.competence_level
    return f"{ue.code} {ue.title or f'{level.competence.short_name} niveau {level.level}'}"


APOGEE_PAGE_QUERIES = 5  # what `apogee_codes_shown` costs the programme page, whatever the programme's size


def apogee_codes_shown(*, programme_id: int, number: int) -> dict:
    """Return what the programme page shows of the codes for semester `number`: its year's objects (étape, version,
    year element, RCUEs) and the semester's own (semester, UEs, modules), with how many carry a code."""
    objects = [o for o in apogee_objects(programme=Programme(pk=programme_id))
               if o.year == (number + 1) // 2 and (o.semester is None or o.semester == number)]
    return {"objects": objects, "coded": sum(1 for o in objects if o.code), "count": len(objects)}


def _repeated(codes: list[str]) -> set[str]:
    seen, repeated = set(), set()
    for code in codes:
        (repeated if code in seen else seen).add(code)
    return repeated


def _name(code: str, number: int, repeated: set[str]) -> str:
    return f"S{number} {code}" if code in repeated else code


def read_code_rows(rows: Iterable[tuple], *, programme: Programme) -> dict[str, str]:
    """Return {object name: code} from a sheet's rows (object, code), a header row allowed; raise naming the rows."""
    known = {o.name.casefold(): o.name for o in apogee_objects(programme=programme)}
    codes, first_row, errors = {}, {}, []
    for number, row in enumerate(rows, start=1):
        if number > MAX_SHEET_ROWS:
            raise ApogeeCodesInvalid([TOO_MANY_ROWS.format(limit=MAX_SHEET_ROWS)])
        cells = [("" if c is None else str(c)).strip() for c in (list(row) + [None, None])[:2]]
        name, code = cells
        if not name and not code:
            continue
        if number == 1 and name.casefold() in HEADER_WORDS:
            continue
        canonical = known.get(" ".join(name.split()).casefold())
        if canonical is None:
            errors.append(UNKNOWN_OBJECT.format(row=number, name=name, programme=programme.code))
        elif code and not CODE_PATTERN.match(code):
            errors.append(BAD_CODE.format(row=number, code=code, name=name))
        elif canonical in first_row:
            errors.append(TWICE.format(row=number, name=name, first=first_row[canonical]))
        else:
            first_row[canonical] = number
            codes[canonical] = code
    if errors:
        raise ApogeeCodesInvalid(errors)
    return codes


def apogee_codes_save(*, programme: Programme, codes: Mapping[str, str], user,
                      source: str = audit.Source.PAGE) -> list[audit.Change]:
    """Write the codes given (name -> code, "" clears), journal each change; return the changes (one transaction)."""
    with transaction.atomic():
        objects = {o.name: o for o in apogee_objects(programme=programme)}
        errors = [UNKNOWN_OBJECT.format(row="-", name=n, programme=programme.code) for n in codes if n not in objects]
        errors += [BAD_CODE.format(row="-", code=c, name=n) for n, c in codes.items()
                   if c and not CODE_PATTERN.match(c)]
        if errors:
            raise ApogeeCodesInvalid(errors)
        changes = []
        for name, code in codes.items():
            obj = objects[name]
            if obj.code == code:
                continue
            _write(programme, obj, code)
            changes.append(audit.Change(audit.Action.UPDATE, name, field="code Apogée", old=obj.code, new=code,
                                        semester_number=obj.semester))
        if changes:
            audit.record(programme=programme, changes=changes, user=user, source=source)
    return changes


def _write(programme: Programme, obj: ApogeeObject, code: str) -> None:
    if obj.kind in (VET, VET_VERSION, YEAR):
        field = {VET: "step", VET_VERSION: "step_version", YEAR: "year_element"}[obj.kind]
        ApogeeYear.objects.update_or_create(programme=programme, year=obj.year, defaults={field: code})
    elif obj.kind == RCUE:
        ApogeeRcue.objects.update_or_create(programme=programme, competence_level_id=obj.target_id,
                                            defaults={"code": code})
    else:
        model = {SEMESTER: Semester, UE_KIND: UE, MODULE: Module}[obj.kind]
        model.objects.filter(pk=obj.target_id).update(apogee_code=code)
