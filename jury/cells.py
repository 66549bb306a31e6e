"""One UE or RCUE result as the jury reads it: shown average (R6), code, and the colour of its state."""
from dataclasses import dataclass
from decimal import Decimal

from grading.engine.codes import RCUE_VALIDATED, UE_VALIDATED, DecisionCode
from grading.engine.rounding import fmt
from grading.engine.types import RCUEResult, UEResult

PASS_MARK = Decimal("10")
FLOOR = Decimal("8")
NO_AVERAGE_SORT = Decimal("-1")


class State:
    """CSS classes of a result cell: acquired, compensated, below 10, below 8, pending (ATT), none."""

    ACQUIRED = "acquired"
    COMPENSATED = "compensated"
    BELOW_10 = "below10"
    BELOW_8 = "below8"
    PENDING = "pending"
    NONE = "none"


STATE_LABELS = {
    State.ACQUIRED: "acquis", State.COMPENSATED: "compensé", State.BELOW_10: "sous 10",
    State.BELOW_8: "sous 8", State.PENDING: "en attente", State.NONE: "",
}


@dataclass(frozen=True)
class Cell:
    average: str | None  # two decimals, as the jury reads it (R6)
    code: str | None
    state: str
    validated: bool = False
    ects: Decimal = Decimal(0)
    by_jury: bool = False
    capitalised: bool = False
    blocked: bool = False

    @property
    def text(self) -> str:
        """The cell as the table shows it: '12,50 ADM'."""
        return f"{self.average_fr} {self.code}" if self.code else self.average_fr

    @property
    def css(self) -> str:
        return f"{self.state} by-jury" if self.by_jury else self.state

    @property
    def sort_key(self) -> Decimal:
        return Decimal(self.average) if self.average is not None else NO_AVERAGE_SORT

    @property
    def average_fr(self) -> str:
        return self.average.replace(".", ",") if self.average is not None else "–"

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


def _state(average: str | None, code: str | None, validated: bool) -> str:
    if code == DecisionCode.ATT:
        return State.PENDING
    if code in (DecisionCode.CMP, DecisionCode.ADJR):
        return State.COMPENSATED
    if validated:
        return State.ACQUIRED
    if average is None:
        return State.NONE
    shown = Decimal(average)
    if shown >= PASS_MARK:
        return State.ACQUIRED if code else State.NONE
    return State.BELOW_8 if shown < FLOOR else State.BELOW_10


def ue_cell(ue: UEResult) -> Cell:
    average = fmt(ue.average)
    validated = ue.decision in UE_VALIDATED
    return Cell(average=average, code=ue.decision, state=_state(average, ue.decision, validated), validated=validated,
                ects=ue.ects, by_jury=ue.by_jury, capitalised=ue.capitalised, blocked=ue.blocked)


def rcue_cell(rcue: RCUEResult) -> Cell:
    average = fmt(rcue.average)
    validated = rcue.decision in RCUE_VALIDATED
    return Cell(average=average, code=rcue.decision, state=_state(average, rcue.decision, validated),
                validated=validated, by_jury=rcue.by_jury)
