"""A student's competences and levels as a small chart: validated, in progress, not started.

Only the student's own published RCUE codes are used; no other student's data, no rank. The geometry of the
SVG (drawn by `templates/portal/_competence_chart.svg`) is laid out here on a fixed grid.
"""
from dataclasses import dataclass, field
from enum import StrEnum

from grading.engine.codes import RCUE_VALIDATED


class LevelState(StrEnum):
    VALIDATED = "validated"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"


STATE_LABELS = {
    LevelState.VALIDATED: "validé",
    LevelState.IN_PROGRESS: "en cours",
    LevelState.NOT_STARTED: "pas commencé",
}

# Chart grid (SVG user units).
NAME_WIDTH = 190
CELL_WIDTH = 96
ROW_HEIGHT = 34
TOP = 26
CELL_HEIGHT = 24


@dataclass
class LevelProgress:
    level: int
    state: str
    x: int = 0

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def box_x(self) -> int:
        return self.x + 4

    @property
    def text_x(self) -> int:
        return self.x + CELL_WIDTH // 2


@dataclass
class CompetenceProgress:
    code: str
    name: str  # short name, "Spécifier"
    full_name: str
    levels: list[LevelProgress] = field(default_factory=list)
    y: int = 0

    @property
    def text_y(self) -> int:
        return self.y + CELL_HEIGHT // 2 + 4


def competence_progress(*, ues, decided: dict[str, str | None], semesters_taken: set[int]) -> list[CompetenceProgress]:
    """Return each competence of the student's programme with the state of each of its levels.

    `ues` are the UEs the student's parcours takes; `decided` maps an RCUE key ("C1-2") to the code a student may
    read; `semesters_taken` are the semester numbers of their path. A level is validated by its RCUE (R9, R10, R16),
    in progress once the student follows one of its UEs, not started otherwise.
    """
    competences: dict[str, CompetenceProgress] = {}
    started: dict[str, set[int]] = {}
    for ue in sorted(ues, key=lambda u: (u.competence_level.competence.number, u.competence_level.level)):
        level = ue.competence_level
        competence = level.competence
        item = competences.setdefault(competence.code, CompetenceProgress(
            code=competence.code, name=competence.short_name, full_name=competence.name))
        if all(existing.level != level.level for existing in item.levels):
            item.levels.append(LevelProgress(level=level.level, state=LevelState.NOT_STARTED))
        if ue.semester.number in semesters_taken:
            started.setdefault(competence.code, set()).add(level.level)
    for row, item in enumerate(competences.values()):
        item.y = TOP + row * ROW_HEIGHT
        for cell in item.levels:
            cell.x = NAME_WIDTH + (cell.level - 1) * CELL_WIDTH
            if decided.get(f"{item.code}-{cell.level}") in RCUE_VALIDATED:
                cell.state = LevelState.VALIDATED
            elif cell.level in started.get(item.code, ()):
                cell.state = LevelState.IN_PROGRESS
    return list(competences.values())


@dataclass
class Chart:
    """The chart's frame: its size and the x of each level's column heading."""

    width: int
    height: int
    headers: list[tuple[int, str]]  # (x of the column's centre, "Niveau 1")
    rows: list[CompetenceProgress]


def chart(competences: list[CompetenceProgress]) -> Chart:
    """Return the chart of the competences laid out by `competence_progress`."""
    levels = max((cell.level for item in competences for cell in item.levels), default=3)
    return Chart(width=NAME_WIDTH + levels * CELL_WIDTH, height=TOP + len(competences) * ROW_HEIGHT,
                 headers=[(NAME_WIDTH + (n - 1) * CELL_WIDTH + CELL_WIDTH // 2, f"Niveau {n}")
                          for n in range(1, levels + 1)],
                 rows=competences)
