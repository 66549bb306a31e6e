"""The department's own version of the Le Creusot programme, with a complete coefficient matrix.

The Le Creusot fixtures list which module feeds which UE but give no coefficient (the source page has none), so
a promotion on them would have no average. As a department would, the demo makes a new version of the programme
(« nouvelle version du programme ») and fills its matrix on the matrix page's service, semester by semester:
a resource weighs its hours (one coefficient per 12 hours, at least 1); in each UE the SAÉ, portfolio and stage
together weigh as much as the resources (R12: each pole 40 to 60 %), shared by their hours (a stage as three
SAÉ hours' worth). Coefficients are rounded to halves. A new version, rather than the fixture itself, because
`load_programmes` brings a fixture programme back to its file at every `make run`.
"""
from decimal import Decimal

from curriculum import audit
from curriculum.editing import CellEdit, MatrixEdit, matrix_save
from curriculum.models import ModuleKind, Programme
from curriculum.selectors import SemesterSummary, get_programme_summary
from curriculum.versions import programme_new_version

SOURCE_PROGRAMME = "lecreusot-ipi-initiale-2026"
DEPARTMENT_PROGRAMME = f"{SOURCE_PROGRAMME}-v2"
HOURS_PER_COEFFICIENT = Decimal("12")
POLE_WEIGHT = {ModuleKind.PORTFOLIO: Decimal("1"), ModuleKind.STAGE: Decimal("3")}


def department_programme(*, user) -> Programme:
    """Return the department's version of the Le Creusot programme, made and filled when missing."""
    existing = Programme.objects.filter(code=DEPARTMENT_PROGRAMME).first()
    if existing is not None:
        return existing
    source = Programme.objects.get(code=SOURCE_PROGRAMME)
    programme = programme_new_version(programme=source, code=DEPARTMENT_PROGRAMME, first_year=source.first_year,
                                      user=user)
    for semester in get_programme_summary(code=DEPARTMENT_PROGRAMME).semesters:
        matrix_save(programme_code=DEPARTMENT_PROGRAMME, semester_number=semester.number,
                    edit=MatrixEdit(cells=coefficients(semester)), revision=audit.revision(programme.pk), user=user)
    return programme


def _half(value: Decimal) -> Decimal:
    return max(Decimal("0.5"), (value * 2).quantize(Decimal("1")) / 2)


def _hours(row) -> Decimal:
    return row.hours.cm + row.hours.td + row.hours.tp + row.hours.project


def coefficients(semester: SemesterSummary) -> dict[tuple[int, int], CellEdit]:
    """Return a coefficient for every module × UE row of the semester (the cells of the matrix page)."""
    cells = {}
    for ue in semester.ues:
        resources = {row.module.id: max(Decimal("1"), (_hours(row) / HOURS_PER_COEFFICIENT).quantize(Decimal("1")))
                     for row in ue.resource_rows}
        weights = {row.module.id: POLE_WEIGHT.get(row.module.kind, max(Decimal("1"), _hours(row) / 12))
                   for row in ue.sae_rows}
        pole_total = sum(resources.values()) or sum(weights.values())
        pole = {m: _half(pole_total * w / sum(weights.values())) for m, w in weights.items()}
        for module_id, coefficient in (resources | pole).items():
            cells[(module_id, ue.id)] = CellEdit(present=True, coefficient=coefficient)
    return cells
