"""The form of the matrix page: one field per cell of a semester's table, parsed into a `MatrixEdit`.

Field names: `ue-<id>-ects`, `ue-<id>-rcue`, `ue-<id>-delete` per UE; `m-<id>-delete` (and `m-<id>-cm`… for
programmes whose hours are repeated under each UE) per module; `c-<module id>-<UE id>` for a coefficient and
`c-<module id>-<UE id>-cm`… for the hours in that UE (split programmes); `m-new-…`, `c-new-<UE id>…` for the
module added on the page; `ue-new-…` for the UE added. Every cell is checked (`curriculum.cell_values`) and
refused with its reason; nothing is saved while one is refused.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.db.models import Q

from curriculum.cell_values import (
    ECTS,
    RCUE_COEFFICIENT,
    CellError,
    parse_coefficient,
    parse_hours,
    parse_number,
    parse_required,
    show_coefficient,
    show_number,
)
from curriculum.editing import HOUR_FIELDS, NEW, CellEdit, MatrixEdit, ModuleEdit, NewModule, NewUE, UEEdit
from curriculum.findings import rcue_partners
from curriculum.models import CompetenceLevel, HoursMode, ModuleKind
from curriculum.selectors import ModuleInfo, ProgrammeSummary, SemesterSummary, UESummary

HOUR_LABELS = {"cm": "CM", "td": "TD", "tp": "TP", "project": "Projet"}
HOURS_WITHOUT_COEFFICIENT = ("{module} a des heures dans {ue} : saisissez son coefficient (? s'il n'est pas connu) "
                             "ou videz aussi ses heures")
NEW_MODULE_CODE_MISSING = "Saisissez le code du nouveau module (ou videz sa ligne)"
NEW_MODULE_TITLE_MISSING = "Saisissez l'intitulé du nouveau module"
NEW_MODULE_KIND_MISSING = "Choisissez la nature du nouveau module"
MODULE_EXISTS = "Le module « {code} » existe déjà dans ce semestre"
NEW_UE_CODE_MISSING = "Saisissez le code de la nouvelle UE (ou videz ses champs)"
NEW_UE_LEVEL_MISSING = "Choisissez le niveau de compétence de la nouvelle UE"
UE_EXISTS = "L'UE « {code} » existe déjà dans ce semestre"
NEW_UE_ECTS_MISSING = "ECTS de la nouvelle UE : valeur obligatoire"


class _CellField(forms.CharField):
    """A text cell parsed by `parse`; a refused value gives its reason as the field's error."""

    def __init__(self, parse, **kwargs):
        super().__init__(required=False, max_length=20, strip=True, **kwargs)
        self.parse = parse

    def clean(self, value):
        text = super().clean(value)
        try:
            return self.parse(text)
        except CellError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None


def _required(rule, label):
    return lambda text: parse_required(text, rule, label)


def ue_name(ue_id, what: str) -> str:
    return f"ue-{ue_id}-{what}"


def module_name(module_id, what: str) -> str:
    return f"m-{module_id}-{what}"


def cell_name(module_id, ue_id, what: str = "") -> str:
    return f"c-{module_id}-{ue_id}" + (f"-{what}" if what else "")


def level_choices(programme: ProgrammeSummary) -> list[CompetenceLevel]:
    """Return the competence levels a UE of the programme may refer to (common ones and its parcours')."""
    return list(CompetenceLevel.objects.filter(competence__speciality__code=programme.speciality_code)
                .filter(Q(competence__parcours__isnull=True) | Q(competence__parcours__code=programme.parcours_code))
                .select_related("competence").order_by("competence__number", "competence__code", "level"))


class MatrixForm(forms.Form):
    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    digest = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    confirm = forms.BooleanField(required=False)

    def __init__(self, *args, programme: ProgrammeSummary, semester: SemesterSummary,
                 levels: list[CompetenceLevel], revision: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme, self.semester = programme, semester
        self.split = semester.hours_mode != HoursMode.REPEATED
        self.levels = {level.pk: level for level in levels}
        self.fields["revision"].initial = revision
        rows = {(row.module.id, ue.id): row for ue in semester.ues for row in ue.rows}
        for ue in semester.ues:
            self._add(ue_name(ue.id, "ects"), _required(ECTS, f"ECTS de {ue.code}"), show_number(ue.ects))
            self._add(ue_name(ue.id, "rcue"), _required(RCUE_COEFFICIENT, f"Coefficient RCUE de {ue.code}"),
                      show_number(ue.rcue_coefficient))
            self.fields[ue_name(ue.id, "delete")] = forms.BooleanField(required=False)
        for module in semester.modules:
            self.fields[module_name(module.id, "delete")] = forms.BooleanField(required=False)
            if not self.split:
                for name in HOUR_FIELDS:
                    self._add(module_name(module.id, name), parse_hours, _hours_text(getattr(module.hours, name)))
            for ue in semester.ues:
                row = rows.get((module.id, ue.id))
                self._add_cell(module.id, ue.id, row)
        self.fields[module_name(NEW, "code")] = forms.CharField(required=False, max_length=30)
        self.fields[module_name(NEW, "title")] = forms.CharField(required=False, max_length=250)
        self.fields[module_name(NEW, "kind")] = forms.ChoiceField(
            required=False, choices=[("", "—"), *ModuleKind.choices])
        if not self.split:
            for name in HOUR_FIELDS:
                self._add(module_name(NEW, name), parse_hours, "")
        for ue in semester.ues:
            self._add_cell(NEW, ue.id, None)
        self.fields[ue_name(NEW, "code")] = forms.CharField(required=False, max_length=20)
        self.fields[ue_name(NEW, "title")] = forms.CharField(required=False, max_length=250)
        self.fields[ue_name(NEW, "level")] = forms.TypedChoiceField(
            required=False, coerce=int, empty_value=None,
            choices=[("", "—"), *((level.pk, str(level)) for level in levels)])
        self._add(ue_name(NEW, "ects"), lambda text: parse_number(text, ECTS) if text else None, "")
        self._add(ue_name(NEW, "rcue"), lambda text: parse_number(text, RCUE_COEFFICIENT) if text else None, "1")

    def _add(self, name: str, parse, initial: str) -> None:
        self.fields[name] = _CellField(parse, initial=initial)

    def _add_cell(self, module_id, ue_id, row) -> None:
        present = row is not None
        self._add(cell_name(module_id, ue_id), parse_coefficient,
                  show_coefficient(present, row.coefficient if present else None))
        if self.split:
            for name in HOUR_FIELDS:
                self._add(cell_name(module_id, ue_id, name), parse_hours,
                          _hours_text(getattr(row.hours, name)) if present else "")

    # ---------------------------------------------------------------- checks across cells

    def clean(self):
        data = super().clean()
        modules = [*((m.id, m.code) for m in self.semester.modules), (NEW, data.get(module_name(NEW, "code")))]
        if self.split:
            for module_id, code in modules:
                for ue in self.semester.ues:
                    coefficient = data.get(cell_name(module_id, ue.id))
                    hours = [data.get(cell_name(module_id, ue.id, name)) for name in HOUR_FIELDS]
                    if coefficient is not None and not coefficient.present and any(hours):
                        self.add_error(cell_name(module_id, ue.id), HOURS_WITHOUT_COEFFICIENT.format(
                            module=code or "Le nouveau module", ue=ue.code))
        self._clean_new_module(data)
        self._clean_new_ue(data)
        return data

    def _clean_new_module(self, data) -> None:
        code, title, kind = (data.get(module_name(NEW, k)) or "" for k in ("code", "title", "kind"))
        filled = title or kind or any(
            (c := data.get(cell_name(NEW, ue.id))) is not None and c.present for ue in self.semester.ues)
        if not code:
            if filled:
                self.add_error(module_name(NEW, "code"), NEW_MODULE_CODE_MISSING)
            return
        if code in {m.code for m in self.semester.modules}:
            self.add_error(module_name(NEW, "code"), MODULE_EXISTS.format(code=code))
        if not title:
            self.add_error(module_name(NEW, "title"), NEW_MODULE_TITLE_MISSING)
        if not kind:
            self.add_error(module_name(NEW, "kind"), NEW_MODULE_KIND_MISSING)

    def _clean_new_ue(self, data) -> None:
        code = data.get(ue_name(NEW, "code")) or ""
        if not code:
            if data.get(ue_name(NEW, "title")) or data.get(ue_name(NEW, "level")) or data.get(ue_name(NEW, "ects")):
                self.add_error(ue_name(NEW, "code"), NEW_UE_CODE_MISSING)
            return
        if code in {ue.code for ue in self.semester.ues}:
            self.add_error(ue_name(NEW, "code"), UE_EXISTS.format(code=code))
        if data.get(ue_name(NEW, "level")) is None:
            self.add_error(ue_name(NEW, "level"), NEW_UE_LEVEL_MISSING)
        if ue_name(NEW, "ects") in data and data[ue_name(NEW, "ects")] is None:
            self.add_error(ue_name(NEW, "ects"), NEW_UE_ECTS_MISSING)

    # ---------------------------------------------------------------- the parsed table

    def _cell(self, module_id, ue_id) -> CellEdit:
        data = self.cleaned_data
        coefficient = data[cell_name(module_id, ue_id)]
        hours = tuple(data[cell_name(module_id, ue_id, name)] for name in HOUR_FIELDS) if self.split else None
        return CellEdit(present=coefficient.present, coefficient=coefficient.value, hours=hours)

    def _hours(self, module_id) -> tuple[Decimal, ...] | None:
        return None if self.split else tuple(self.cleaned_data[module_name(module_id, n)] for n in HOUR_FIELDS)

    @property
    def edit(self) -> MatrixEdit:
        """Return the submitted table (call after is_valid())."""
        data = self.cleaned_data
        semester = self.semester
        new_module = None
        if data.get(module_name(NEW, "code")):
            new_module = NewModule(
                code=data[module_name(NEW, "code")], title=data[module_name(NEW, "title")],
                kind=data[module_name(NEW, "kind")], hours=self._hours(NEW),
                cells={ue.id: self._cell(NEW, ue.id) for ue in semester.ues})
        new_ue = None
        if data.get(ue_name(NEW, "code")):
            level = self.levels[data[ue_name(NEW, "level")]]
            new_ue = NewUE(code=data[ue_name(NEW, "code")], title=data[ue_name(NEW, "title")], level_id=level.pk,
                           competence_code=level.competence.code, level=level.level,
                           ects=data[ue_name(NEW, "ects")],
                           rcue_coefficient=data[ue_name(NEW, "rcue")] or Decimal("1"))
        return MatrixEdit(
            ues={ue.id: UEEdit(ects=data[ue_name(ue.id, "ects")], rcue_coefficient=data[ue_name(ue.id, "rcue")],
                               delete=data[ue_name(ue.id, "delete")]) for ue in semester.ues},
            modules={m.id: ModuleEdit(delete=data[module_name(m.id, "delete")], hours=self._hours(m.id))
                     for m in semester.modules},
            cells={(m.id, ue.id): self._cell(m.id, ue.id) for m in semester.modules for ue in semester.ues},
            new_module=new_module, new_ue=new_ue)

    # ---------------------------------------------------------------- what the template lays out

    def sheet(self) -> Sheet:
        partners = rcue_partners(self.semester, self.programme)
        columns = [SheetColumn(ue=ue, partner=partners[ue.id], delete=self[ue_name(ue.id, "delete")],
                               ects=self._input(ue_name(ue.id, "ects"), "ects", ue, "", f"ECTS de {ue.code}"),
                               rcue=self._input(ue_name(ue.id, "rcue"), "rcue", ue, "",
                                                f"Coefficient RCUE de {ue.code}"))
                   for ue in self.semester.ues]
        rows = [self._row(module.id, module) for module in self.semester.modules]
        number = self.semester.number
        return Sheet(columns=columns, rows=rows, new_row=self._row(NEW, None), split=self.split,
                     partner_number=number + 1 if number % 2 else number - 1,
                     new_ue={k: self[ue_name(NEW, k)] for k in ("code", "title", "level", "ects", "rcue")})

    def _input(self, name: str, kind: str, ue: UESummary | None, hour: str, label: str) -> SheetInput:
        col = f"{ue.id}-{hour or 'coef'}" if ue is not None else f"module-{hour}"
        return SheetInput(field=self[name], kind=kind, col=col, ue=str(ue.id) if ue else "", hour=hour, label=label)

    def _row(self, module_id, module: ModuleInfo | None) -> SheetRow:
        code = module.code if module else "nouveau module"
        cells = [SheetCell(
            coefficient=self._input(cell_name(module_id, ue.id), "coef", ue, "",
                                    f"Coefficient de {code} dans {ue.code}"),
            hours=[self._input(cell_name(module_id, ue.id, n), "hours", ue, n,
                               f"{HOUR_LABELS[n]} de {code} dans {ue.code}")
                   for n in HOUR_FIELDS] if self.split else [])
            for ue in self.semester.ues]
        hours = [] if self.split else [self._input(module_name(module_id, n), "hours", None, n,
                                                   f"{HOUR_LABELS[n]} de {code}") for n in HOUR_FIELDS]
        new = {k: self[module_name(NEW, k)] for k in ("code", "title", "kind")} if module is None else {}
        return SheetRow(module=module, key=str(module_id), cells=cells, hours=hours,
                        delete=self[module_name(module_id, "delete")] if module is not None else None, new=new)


def _hours_text(value: Decimal) -> str:
    return "" if value == 0 else show_number(value)


@dataclass
class SheetInput:
    """One input of the table, with what the page's script needs: its kind, column, UE and hour field."""

    field: forms.BoundField
    kind: str  # coef, hours, ects, rcue
    col: str  # inputs with the same col are one above the other (arrow keys move between them)
    ue: str = ""
    hour: str = ""
    label: str = ""


@dataclass
class SheetCell:
    coefficient: SheetInput
    hours: list[SheetInput]


@dataclass
class SheetRow:
    module: ModuleInfo | None  # None: the row of a new module
    key: str
    cells: list[SheetCell]
    hours: list[SheetInput]  # the module's own hours (repeated programmes)
    delete: forms.BoundField | None
    new: dict = field(default_factory=dict)  # code, title, kind fields of the new module

    @property
    def pole(self) -> str:
        if self.module is None:
            return ""
        return "sae" if self.module.is_sae_pole else "resource"


@dataclass
class SheetColumn:
    ue: UESummary
    partner: UESummary | None
    delete: forms.BoundField
    ects: SheetInput
    rcue: SheetInput


@dataclass
class Sheet:
    columns: list[SheetColumn]
    rows: list[SheetRow]
    new_row: SheetRow
    split: bool
    partner_number: int
    new_ue: dict  # code, title, level, ects, rcue fields of the UE to add
