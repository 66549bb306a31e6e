"""A promotion's flow: the students of one first-year semester instance, followed year by year. No Django import.

Each academic year a student is in BUT 1, 2 or 3 (the highest BUT year of their enrolments that year), or their
path has ended: graduated (BUT3 passed: ADM or ADJ), awaited (the next year is not in the application yet, or the
year's decision is pending: ATT, RAT, ATJ), gone on elsewhere (the year passed, ADM, PASD, PAS1NCI or ADJ, and
not enrolled the next year although it is open: a BUT3 the application does not hold, another IUT), or left (not
enrolled the next year without having passed, or enrolment ended: DEM, DEF, ABAN, NAR, a RED not back). From one
year to the next a student went on (a higher BUT year), repeated (the same or a lower one), went on elsewhere,
left, graduated or is awaited.
"""
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from butgmp.charts.geometry import Sankey

from grading.engine.codes import DecisionCode
from grading.statistics import YEAR_PASSED

GRADUATED = frozenset({DecisionCode.ADM, DecisionCode.ADJ})
PENDING = frozenset({DecisionCode.ATT, DecisionCode.RAT, DecisionCode.ATJ})
ELSEWHERE = "Poursuite hors application"  # passed, and went on to a year the application does not hold
OUTCOMES = {"on": "Passés", "repeat": "Redoublants", "elsewhere": ELSEWHERE, "left": "Partis",
            "graduated": "Diplômés", "awaited": "En attente"}
ENDS = {"elsewhere": ELSEWHERE, "left": "Partis", "graduated": "Diplômés", "awaited": "En attente"}


@dataclass(frozen=True)
class Stay:
    """A student's year in the application: the academic year, the BUT year, whether the enrolment ended during
    it (DEM, DEF, ABAN), and the year decision in force (R16; None when there is none)."""

    year: int
    but: int
    ended: bool = False
    decision: str | None = None


@dataclass(frozen=True)
class Step:
    """From one academic year to the next: how many of each state went where."""

    year: int  # the academic year the step starts from
    moves: Mapping[tuple[str, str], int]  # (state at `year`, state the next year) -> students
    outcomes: Mapping[str, int]  # OUTCOMES key -> students


@dataclass(frozen=True)
class Flow:
    first_year: int
    columns: tuple[tuple[int, Mapping[str, int]], ...]  # academic year -> state -> students
    steps: tuple[Step, ...]

    @property
    def size(self) -> int:
        return sum(self.columns[0][1].values()) if self.columns else 0


def cohort_flow(paths: Mapping[Hashable, Sequence[Stay]], *, first_year: int, last_open_year: int) -> Flow:
    """Follow each student from `first_year` until their path ends; `last_open_year` is the latest academic year
    the application holds enrolments for (a year after it is awaited)."""
    states: dict[Hashable, list[tuple[int, str, str | None]]] = {}
    for student, stays in paths.items():
        states[student] = _states(sorted(stays, key=lambda s: s.year), first_year, last_open_year)
    last = max((entry[0] for entries in states.values() for entry in entries), default=first_year)
    columns = []
    steps = []
    for year in range(first_year, last + 1):
        column = Counter(state for entries in states.values() for y, state, _ in entries if y == year)
        columns.append((year, dict(sorted(column.items(), key=lambda item: _order(item[0])))))
        if year == last:
            break
        moves: Counter = Counter()
        outcomes: Counter = Counter()
        for entries in states.values():
            for (y, state, _), (_, after, kind) in pairwise(entries):
                if y == year:
                    moves[(state, after)] += 1
                    outcomes[kind] += 1
        steps.append(Step(year=year, moves=dict(moves), outcomes=dict(outcomes)))
    return Flow(first_year=first_year, columns=tuple(columns), steps=tuple(steps))


def _states(stays: Sequence[Stay], first_year: int, last_open_year: int) -> list[tuple[int, str, str | None]]:
    """Return (academic year, state, kind of the move into it) from the first year to the path's end."""
    by_year = {stay.year: stay for stay in stays if stay.year >= first_year}
    if first_year not in by_year:
        return []
    entries: list[tuple[int, str, str | None]] = []
    year, previous = first_year, None
    while True:
        stay = by_year.get(year)
        if stay is None:
            end = _end(previous, year, last_open_year)
            entries.append((year, ENDS[end], end))
            return entries
        kind = None if previous is None else ("on" if stay.but > previous.but else "repeat")
        entries.append((year, f"BUT{stay.but}", kind))
        previous, year = stay, year + 1


def _end(previous: Stay, year: int, last_open_year: int) -> str:
    if previous.but == 3 and previous.decision in GRADUATED and not previous.ended:
        return "graduated"
    if year > last_open_year or (previous.decision in PENDING and not previous.ended):
        return "awaited"
    if previous.decision in YEAR_PASSED and not previous.ended:
        return "elsewhere"  # the next year is open and they are not in it: they went on where we cannot follow
    return "left"


def _order(state: str) -> tuple[int, str]:
    ends = list(ENDS.values())
    return (ends.index(state) + 10, state) if state in ends else (0, state)


def flow_chart(flow: Flow, *, title: str) -> "Sankey":
    """Return the flow diagram's layout: a column per academic year, a node per state, a band per move."""
    from butgmp.charts.geometry import FlowNode, sankey

    kinds = {label: key for key, label in ENDS.items()}
    columns = [(f"{year}-{year + 1}", [FlowNode(key=f"{year}:{state}", label=state, kind=kinds.get(state, "year"),
                                                count=count) for state, count in states.items()])
               for year, states in flow.columns]
    moves = [(f"{step.year}:{before}", f"{step.year + 1}:{after}", count, _kind(before, after))
             for step in flow.steps for (before, after), count in step.moves.items()]
    return sankey(columns, moves, title=title, width=max(520, 190 * len(columns)))


def _kind(before: str, after: str) -> str:
    ends = {label: key for key, label in ENDS.items()}
    if after in ends:
        return ends[after]
    return "on" if after > before else "repeat"  # "BUT2" > "BUT1"


def flow_tables(flow: Flow) -> dict:
    """Return the flow's figures as the page's tables: the states of each year, and the outcomes of each step."""
    states: list[str] = []
    for _, column in flow.columns:
        states.extend(state for state in column if state not in states)
    states.sort(key=_order)
    return {
        "states": states,
        "column_rows": [(f"{year}-{year + 1}", [column.get(state, 0) for state in states])
                        for year, column in flow.columns],
        "outcome_labels": list(OUTCOMES.values()),
        "step_rows": [(f"{step.year}-{step.year + 1} → {step.year + 1}-{step.year + 2}",
                       [step.outcomes.get(key, 0) for key in OUTCOMES]) for step in flow.steps],
    }
