"""The demo's grades: each student a level per competence, each evaluation a draw around it, entered by the
module's teacher as an imported sheet (`grades_import`).

A student has an ability in the resources (about 12, some below 8) with an offset per competence, and a level in
the team work (SAÉ, portfolio, internship) closer to the promotion's mean. A grade is a draw around the level of the
module's main competence (the UE where its coefficient is highest), to the quarter point; about one resource grade
in a hundred is ABS. A student planned to fail (`weak`) is poor in three competences and good in the others, so that
the jury proposes RED with UEs acquired (R7, R11); their grades are never ABS.
"""
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from curriculum.models import ModuleKind, ModuleUE
from grading.grade_text import format_decimal
from grading.models import Enrolment, Evaluation
from grading.services.grades import grades_import

ABSENCE_RATE = 0.012
WEAK_COMPETENCES = ("C2", "C3", "C4")  # where a weak student fails: two RCUEs validated out of five at best


@dataclass(frozen=True)
class Profile:
    ability: float
    team: float
    offsets: Mapping[str, float] = field(default_factory=dict)  # competence code -> offset in the resources
    spread: float = 2.4
    weak: bool = False  # planned to fail: never ABS
    repeats: bool = False

    def level(self, kind: str, competence: str) -> float:
        if kind != ModuleKind.RESOURCE:
            return self.team
        return self.ability + self.offsets.get(competence, 0.0)

    def repeated(self, points: float) -> "Profile":
        """Return the profile of the repeated year (a repeater works on what they failed)."""
        return replace(self, repeats=True, ability=self.ability + points / 2,
                       offsets={c: o + points / 2 for c, o in self.offsets.items() if o < 0}
                       | {c: o for c, o in self.offsets.items() if o >= 0})


def draw_profile(rng: random.Random, competences: Iterable[str]) -> Profile:
    ability = min(17.0, max(5.5, rng.gauss(11.8, 2.2)))
    return Profile(ability=ability, team=min(17.0, max(7.0, rng.gauss(12.0 + (ability - 11.8) * 0.35, 1.4))),
                   offsets={c: rng.gauss(0, 1.0) for c in competences})


def weak_profile(rng: random.Random, competences: Iterable[str]) -> Profile:
    return Profile(ability=13.0, team=rng.uniform(11.0, 12.5), spread=1.2, weak=True,
                   offsets={c: -8.0 if c in WEAK_COMPETENCES else 2.0 for c in competences})


def quarter_point(value: float, maximum: Decimal = Decimal("20")) -> Decimal:
    """Return a drawn mark to the quarter point, between 0 and the maximum."""
    return Decimal(round(min(float(maximum), max(0.0, value)) * 4)) / 4


def quarter(value: float, maximum: Decimal) -> str:
    """Return a mark to the quarter point as typed in a sheet (decimal comma)."""
    return format_decimal(quarter_point(value, maximum))


def main_competences(semester_id: int) -> dict[int, str]:
    """Return module id -> competence of the UE where the module weighs most (first UE on a tie)."""
    best: dict[int, tuple] = {}
    for row in (ModuleUE.objects.filter(module__semester_id=semester_id)
                .select_related("ue__competence_level__competence").order_by("ue__order", "ue__code")):
        weight = row.coefficient or Decimal(0)
        if row.module_id not in best or weight > best[row.module_id][0]:
            best[row.module_id] = (weight, row.ue.competence_level.competence.code)
    return {module: competence for module, (_, competence) in best.items()}


def enter_grades(*, evaluations: list[Evaluation], enrolments: list[Enrolment], profiles: Mapping[str, Profile],
                 responsible: Mapping[int, object], rng: random.Random, until=None,
                 left: Mapping[int, object] | None = None) -> int:
    """Draw and import the grades of the evaluations dated up to `until` (all without it); return how many.

    An enrolment in `left` (enrolment id -> the day the student left) gets no grade after that day.
    """
    if not evaluations:
        return 0
    left = left or {}
    competences = main_competences(evaluations[0].semester_instance.semester_id)
    count = 0
    for evaluation in evaluations:
        if until is not None and evaluation.date > until:
            continue
        kind, competence = evaluation.module.kind, competences.get(evaluation.module_id, "")
        rows = []
        for enrolment in enrolments:
            if enrolment.pk in left and evaluation.date > left[enrolment.pk]:
                continue
            profile = profiles[enrolment.student.ine]
            if kind == ModuleKind.RESOURCE and not profile.weak and rng.random() < ABSENCE_RATE:
                rows.append((enrolment.pk, "ABS"))
                continue
            rows.append((enrolment.pk, quarter(rng.gauss(profile.level(kind, competence), profile.spread),
                                               evaluation.max_score)))
        grades_import(evaluation=evaluation, rows=rows, user=responsible[evaluation.module_id],
                      filename=f"{evaluation.module.code} {evaluation.title}.xlsx")
        count += len(rows)
    return count
