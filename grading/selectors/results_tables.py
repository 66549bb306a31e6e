"""Reads behind the results tables: a teacher's modules towards each UE, and the rows of their averages.

The averages come from the engine's live results (`grading.selectors.live_results`), never stored.
"""
from dataclasses import dataclass

from curriculum.models import UE, Module, ModuleUE
from grading.models import SemesterInstance
from grading.selectors.live_results import LiveResults
from grading.selectors.statistics import merge_identical, weight_signatures


@dataclass(frozen=True)
class ModuleColumns:
    pairs: list[ModuleUE]  # each module towards each UE it counts in, in module then UE order
    ues: list[UE]  # the UEs those modules count in
    columns: list[tuple[str, str, str]]  # (key, header, tooltip): one per pair, then one per UE

    @property
    def modules(self) -> list[Module]:
        return sorted({p.module for p in self.pairs}, key=lambda m: (m.order, m.code))

    @property
    def module_ids(self) -> set[int]:
        return {p.module_id for p in self.pairs}


def module_columns(*, semester_instance: SemesterInstance, module_ids: set[int] | None) -> ModuleColumns:
    """Return the columns of the table of a teacher's modules: every module of the semester (None), or those."""
    pairs = (ModuleUE.objects.filter(module__semester=semester_instance.semester).select_related("module", "ue")
             .order_by("module__order", "module__code", "ue__order", "ue__code"))
    if module_ids is not None:
        pairs = pairs.filter(module_id__in=module_ids)
    pairs = list(pairs)
    ues = sorted({p.ue for p in pairs}, key=lambda u: (u.order, u.code))
    columns = ([(f"m_{i}", f"{p.module.code} → {p.ue.code}", f"{p.module.title} : moyenne vers {p.ue.code}"
                 + (f" – {p.ue.title}" if p.ue.title else "")) for i, p in enumerate(pairs)]
               + [(f"u_{i}", f"Moy. {ue.code}", ue.title or ue.code) for i, ue in enumerate(ues)])
    # A module's columns towards two UEs that always hold the same averages (proportional weights, R3): one column
    columns = merge_identical(columns=columns, module_of={f"m_{i}": p.module.code for i, p in enumerate(pairs)},
                              signatures=weight_signatures(semester_instance=semester_instance, pairs=[
                                  (f"m_{i}", p.module_id, p.ue.code) for i, p in enumerate(pairs)]))
    return ModuleColumns(pairs=pairs, ues=ues, columns=columns)


def module_cells(*, table: ModuleColumns, live: LiveResults, student_id: int) -> list[tuple[str, object, None]]:
    """Return one student's cells (key, average, no decision) of the table: module averages, then UE averages."""
    modules = live.modules.get(student_id, {})
    averages = live.ues.get(student_id, {})
    kept = {key for key, *_ in table.columns}
    return [*((f"m_{i}", modules.get(p.ue.code, {}).get(p.module.code), None) for i, p in enumerate(table.pairs)
              if f"m_{i}" in kept),
            *((f"u_{i}", averages.get(ue.code, (None, None))[0], None) for i, ue in enumerate(table.ues))]
