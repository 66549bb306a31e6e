"""Read the curriculum: a programme's semesters, UEs, modules and coefficient matrix, with their totals.

Everything a page, an export or a check needs is loaded in a fixed number of queries
(`PROGRAMME_QUERIES`, whatever the number of semesters, UEs and modules), then totalled on plain
values: no query runs while totalling.

Hours: a UE's hours are the sum of its rows (the hours the source lists under that UE). A semester's
hours are the sum of all its rows when the programme splits hours between UEs (`split`), and the sum of
each module's own hours, counted once, when the source repeats them under each competence (`repeated`).

Coefficients: a null coefficient means no source gives it; the totals (`curriculum.totals`) add the known ones
and count the unknown ones.

Domain coefficients: a source that gives no coefficient per UE may give one per teaching domain for the whole
semester (Le Creusot's alternance fiche), carried by the module of that domain. A semester lists the modules
with a domain (`domain_modules`) and adds their domain coefficients, nulls left out, as the fiche totals them
(`domain_coefficient_total`, None when no module has one).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from curriculum.models import UE, HoursMode, Module, ModuleKind, ModuleUE, Programme, Semester
from curriculum.totals import ZERO, CoefTotal, Hours, add_totals, share_percent, sum_coefficients, sum_hours

# programme (with speciality and parcours) + semesters + UEs (with levels and competences)
# + UE parcours + modules + ModuleUE rows.
PROGRAMME_QUERIES = 6

# Order of the SAÉ pole rows in a UE, as the sheets print them.
_KIND_RANK = {ModuleKind.RESOURCE: 0, ModuleKind.SAE: 1, ModuleKind.PORTFOLIO: 2, ModuleKind.STAGE: 3}


@dataclass(frozen=True)
class ModuleInfo:
    id: int
    code: str
    title: str
    kind: str
    kind_label: str
    evaluation_type: str
    hours: Hours  # the module's own hours
    order: int
    notes: str
    domain: str = ""
    domain_coefficient: Decimal | None = None  # for the whole semester, not per UE
    code_derived: bool = False  # the source gives no code: it is deduced from the national numbering

    @property
    def is_sae_pole(self) -> bool:
        return self.kind != ModuleKind.RESOURCE

    @property
    def sort_key(self) -> tuple:
        return (self.is_sae_pole, _KIND_RANK.get(self.kind, 9), self.order, self.code)


@dataclass(frozen=True)
class ModuleRow:
    """One module in one UE: its coefficient there and the hours the source lists under that UE."""

    module: ModuleInfo
    coefficient: Decimal | None
    hours: Hours


@dataclass(frozen=True)
class PoleTotal:
    coefficient: CoefTotal
    hours: Hours
    share: Decimal | None = None  # per cent of the UE's coefficients (R12)


@dataclass(frozen=True)
class UESummary:
    id: int
    code: str
    title: str
    semester_number: int
    competence_code: str
    competence_short_name: str
    competence_name: str
    competence_is_common: bool
    level: int
    level_label: str
    ects: Decimal
    rcue_coefficient: Decimal
    parcours_codes: tuple[str, ...]
    notes: str
    resource_rows: tuple[ModuleRow, ...]
    sae_rows: tuple[ModuleRow, ...]
    resources: PoleTotal
    sae: PoleTotal
    total: PoleTotal

    @property
    def rcue_key(self) -> str:
        return f"{self.competence_code}-{self.level}"

    @property
    def rows(self) -> tuple[ModuleRow, ...]:
        return self.resource_rows + self.sae_rows

    @property
    def unknown_coefficient_modules(self) -> tuple[str, ...]:
        return tuple(row.module.code for row in self.rows if row.coefficient is None)


@dataclass(frozen=True)
class MatrixCell:
    has_row: bool
    coefficient: Decimal | None = None


@dataclass(frozen=True)
class MatrixRow:
    module: ModuleInfo
    cells: tuple[MatrixCell, ...]
    total: CoefTotal


@dataclass(frozen=True)
class SemesterSummary:
    id: int
    number: int
    notes: str
    hours_mode: str
    ues: tuple[UESummary, ...]
    modules: tuple[ModuleInfo, ...]
    resources: PoleTotal
    sae: PoleTotal
    total: PoleTotal
    ects: Decimal
    matrix: tuple[MatrixRow, ...] = field(default=())
    domain_modules: tuple[ModuleInfo, ...] = field(default=())  # modules with a domain or a domain coefficient
    domain_coefficient_total: Decimal | None = None  # Σ domain coefficients, nulls left out; None when none

    @property
    def year(self) -> int:
        return (self.number + 1) // 2

    @property
    def has_domain_coefficients(self) -> bool:
        return self.domain_coefficient_total is not None

    @property
    def domain_hours(self) -> Hours:
        """Return the own hours of the modules with a domain, each counted once."""
        return sum_hours(m.hours for m in self.domain_modules)

    @property
    def has_derived_codes(self) -> bool:
        return any(m.code_derived for m in self.modules)

    @property
    def label(self) -> str:
        return f"S{self.number}"


@dataclass(frozen=True)
class ProgrammeSummary:
    id: int
    code: str
    title: str
    iut: str
    speciality_code: str
    parcours_code: str
    parcours_name: str
    modality: str
    modality_label: str
    first_year: int
    hours_mode: str
    hours_mode_label: str
    source: str
    notes: str
    semesters: tuple[SemesterSummary, ...]

    @property
    def academic_year(self) -> str:
        return f"{self.first_year}-{self.first_year + 1}"

    @property
    def semester_numbers(self) -> tuple[int, ...]:
        return tuple(s.number for s in self.semesters)

    def semester(self, number: int) -> SemesterSummary | None:
        return next((s for s in self.semesters if s.number == number), None)


# --- loading -------------------------------------------------------------------------------------------------------

def programme_queryset(*, semester_numbers: Sequence[int] | None = None) -> QuerySet[Programme]:
    """Return programmes with everything `build_programme_summary` reads prefetched (PROGRAMME_QUERIES queries)."""
    semesters = Semester.objects.order_by("number")
    if semester_numbers is not None:
        semesters = semesters.filter(number__in=list(semester_numbers))
    ues = UE.objects.select_related("competence_level__competence").prefetch_related("parcours")
    modules = Module.objects.prefetch_related(Prefetch("ue_rows", queryset=ModuleUE.objects.all()))
    return Programme.objects.select_related("speciality", "parcours").prefetch_related(
        Prefetch("semesters", queryset=semesters.prefetch_related(
            Prefetch("ues", queryset=ues),
            Prefetch("modules", queryset=modules),
        )),
    )


def list_programme_summaries() -> list[ProgrammeSummary]:
    """Return every programme, summarised, in PROGRAMME_QUERIES queries."""
    return [build_programme_summary(p) for p in programme_queryset()]


def get_programme_summary(*, code: str, semester_numbers: Sequence[int] | None = None) -> ProgrammeSummary | None:
    """Return one programme (or only some of its semesters), summarised, or None when the code is unknown."""
    programme = programme_queryset(semester_numbers=semester_numbers).filter(code=code).first()
    return build_programme_summary(programme) if programme is not None else None


def programme_by_code(code: str | None) -> Programme | None:
    """Return the programme of this code, or None (no code, or an unknown one)."""
    return Programme.objects.filter(code=code).first() if code else None


def programmes_by_code() -> list[Programme]:
    """Return every programme with its parcours, by code (the choices of a form)."""
    return list(Programme.objects.select_related("parcours").order_by("code"))


def programme_codes() -> list[str]:
    return list(Programme.objects.order_by("code").values_list("code", flat=True))


# --- totalling (no queries: works on prefetched objects) ----------------------------------------------------------

def build_programme_summary(programme: Programme) -> ProgrammeSummary:
    """Summarise a programme fetched through `programme_queryset`."""
    return ProgrammeSummary(
        id=programme.pk,
        code=programme.code,
        title=programme.title,
        iut=programme.iut,
        speciality_code=programme.speciality.code,
        parcours_code=programme.parcours.code,
        parcours_name=programme.parcours.name,
        modality=programme.modality,
        modality_label=programme.get_modality_display(),
        first_year=programme.first_year,
        hours_mode=programme.hours_mode,
        hours_mode_label=programme.get_hours_mode_display(),
        source=programme.source,
        notes=programme.notes,
        semesters=tuple(_build_semester(s, programme.hours_mode) for s in programme.semesters.all()),
    )


def _hours(obj) -> Hours:
    return Hours(obj.cm, obj.td, obj.tp, obj.project)


def _module_info(module: Module) -> ModuleInfo:
    return ModuleInfo(
        id=module.pk, code=module.code, title=module.title, kind=module.kind,
        kind_label=module.get_kind_display(), evaluation_type=module.evaluation_type,
        hours=_hours(module), order=module.order, notes=module.notes, domain=module.domain,
        domain_coefficient=module.domain_coefficient, code_derived=module.code_derived,
    )


def _pole(rows: Sequence[ModuleRow]) -> PoleTotal:
    return PoleTotal(coefficient=sum_coefficients(r.coefficient for r in rows),
                     hours=sum_hours(r.hours for r in rows))


def _with_share(pole: PoleTotal, whole: CoefTotal) -> PoleTotal:
    return PoleTotal(pole.coefficient, pole.hours, share_percent(pole.coefficient, whole))


def _build_semester(semester: Semester, hours_mode: str) -> SemesterSummary:
    modules = sorted((_module_info(m) for m in semester.modules.all()), key=lambda m: m.sort_key)
    module_by_id = {m.id: m for m in modules}
    rows_by_ue: dict[int, list[ModuleRow]] = {}
    for module in semester.modules.all():
        for row in module.ue_rows.all():
            rows_by_ue.setdefault(row.ue_id, []).append(
                ModuleRow(module=module_by_id[module.pk], coefficient=row.coefficient, hours=_hours(row)))
    ues = tuple(_build_ue(ue, semester.number, rows_by_ue.get(ue.pk, [])) for ue in semester.ues.all())
    return summarise_semester(id=semester.pk, number=semester.number, notes=semester.notes, hours_mode=hours_mode,
                              ues=ues, modules=modules)


def summarise_semester(*, id: int, number: int, notes: str, hours_mode: str, ues: Sequence[UESummary],
                       modules: Sequence[ModuleInfo]) -> SemesterSummary:
    """Total a semester from its UEs (with their rows) and its modules, on plain values."""
    modules = sorted(modules, key=lambda m: m.sort_key)
    resources_coef = add_totals(u.resources.coefficient for u in ues)
    sae_coef = add_totals(u.sae.coefficient for u in ues)
    total_coef = resources_coef + sae_coef
    if hours_mode == HoursMode.REPEATED:
        # The source repeats a module's hours under each competence: count each module once.
        resources_hours = sum_hours(m.hours for m in modules if not m.is_sae_pole)
        sae_hours = sum_hours(m.hours for m in modules if m.is_sae_pole)
    else:
        resources_hours = sum_hours(u.resources.hours for u in ues)
        sae_hours = sum_hours(u.sae.hours for u in ues)

    cells = {(row.module.id, ue.id): MatrixCell(has_row=True, coefficient=row.coefficient)
             for ue in ues for row in ue.rows}
    matrix = []
    for module in modules:
        row_cells = tuple(cells.get((module.id, ue.id), MatrixCell(has_row=False)) for ue in ues)
        matrix.append(MatrixRow(module=module, cells=row_cells,
                                total=sum_coefficients(c.coefficient for c in row_cells if c.has_row)))

    domain_modules = tuple(m for m in modules if m.domain or m.domain_coefficient is not None)
    domain_coefficients = [m.domain_coefficient for m in modules if m.domain_coefficient is not None]

    return SemesterSummary(
        id=id,
        number=number,
        notes=notes,
        hours_mode=hours_mode,
        ues=tuple(ues),
        modules=tuple(modules),
        resources=PoleTotal(resources_coef, resources_hours, share_percent(resources_coef, total_coef)),
        sae=PoleTotal(sae_coef, sae_hours, share_percent(sae_coef, total_coef)),
        total=PoleTotal(total_coef, resources_hours + sae_hours),
        ects=sum((u.ects for u in ues), ZERO),
        matrix=tuple(matrix),
        domain_modules=domain_modules,
        domain_coefficient_total=sum(domain_coefficients, ZERO) if domain_coefficients else None,
    )


def _build_ue(ue: UE, semester_number: int, rows: list[ModuleRow]) -> UESummary:
    level = ue.competence_level
    competence = level.competence
    return ue_with_rows(UESummary(
        id=ue.pk,
        code=ue.code,
        title=ue.title,
        semester_number=semester_number,
        competence_code=competence.code,
        competence_short_name=competence.short_name,
        competence_name=competence.name,
        competence_is_common=competence.parcours_id is None,
        level=level.level,
        level_label=level.label,
        ects=ue.ects,
        rcue_coefficient=ue.rcue_coefficient,
        parcours_codes=tuple(sorted(p.code for p in ue.parcours.all())),
        notes=ue.notes,
        resource_rows=(),
        sae_rows=(),
        resources=EMPTY_POLE,
        sae=EMPTY_POLE,
        total=EMPTY_POLE,
    ), rows)


EMPTY_POLE = PoleTotal(CoefTotal(), Hours())


def ue_with_rows(ue: UESummary, rows: Sequence[ModuleRow]) -> UESummary:
    """Return the UE holding these rows, its pole totals and shares recomputed from them."""
    rows = sorted(rows, key=lambda r: r.module.sort_key)
    resource_rows = tuple(r for r in rows if not r.module.is_sae_pole)
    sae_rows = tuple(r for r in rows if r.module.is_sae_pole)
    resources, sae = _pole(resource_rows), _pole(sae_rows)
    total_coef = resources.coefficient + sae.coefficient
    return replace(ue, resource_rows=resource_rows, sae_rows=sae_rows, resources=_with_share(resources, total_coef),
                   sae=_with_share(sae, total_coef), total=PoleTotal(total_coef, resources.hours + sae.hours))


VERSION_LABELS_QUERIES = 1


def version_labels() -> dict[int, str]:
    """Return, per programme id, the label that tells its versions apart wherever one is chosen or listed:
    « version 2 (creusot-ipi-fi-v2), depuis 2026-2027 » (one query; the first version is « version 1 »)."""
    rows = {pk: (previous, first_year, code) for pk, previous, first_year, code in
            Programme.objects.values_list("id", "previous_version_id", "first_year", "code")}
    labels = {}
    for pk, (previous, first_year, code) in rows.items():
        number, seen = 1, {pk}
        while previous is not None and previous not in seen:  # the chain of earlier versions
            seen.add(previous)
            number += 1
            previous = rows[previous][0] if previous in rows else None
        labels[pk] = f"version {number} ({code}), depuis {first_year}-{first_year + 1}"
    return labels
