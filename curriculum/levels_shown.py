"""The competence levels a semester's UEs lead to, with their apprentissages critiques, as the programme page shows
them under the semester's table (texts from the national référentiel, `import_referentiel`)."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from curriculum.models import UE, CriticalLearning

LEVELS_PAGE_QUERIES = 2  # what `semester_levels` costs the programme page: the UEs, their levels' learnings


@dataclass(frozen=True)
class LevelShown:
    ue_codes: tuple[str, ...]
    competence: str
    level: int
    label: str
    learnings: tuple[tuple[str, str], ...]  # (code, text), in the référentiel's order


def semester_levels(*, programme_id: int, number: int) -> list[LevelShown]:
    """Each competence level the semester's UEs lead to, once, in the UEs' order (two queries)."""
    ues = (UE.objects.filter(semester__programme_id=programme_id, semester__number=number)
           .select_related("competence_level__competence")
           .prefetch_related(Prefetch("competence_level__critical_learnings",
                                      queryset=CriticalLearning.objects.order_by("order", "id")))
           .order_by("order", "code"))
    by_level: dict[int, list[UE]] = {}
    for ue in ues:
        by_level.setdefault(ue.competence_level_id, []).append(ue)
    shown = []
    for same_level in by_level.values():
        level = same_level[0].competence_level
        shown.append(LevelShown(
            ue_codes=tuple(ue.code for ue in same_level),
            competence=level.competence.name or level.competence.short_name, level=level.level, label=level.label,
            learnings=tuple((ac.code, ac.text) for ac in level.critical_learnings.all())))
    return shown
