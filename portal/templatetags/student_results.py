"""Labels of the codes students read (ADM, CMP, AJ…), for `title` attributes and legends."""
from django import template

from grading.engine.codes import DecisionCode

register = template.Library()
LABELS = DecisionCode.labels()


@register.filter
def decision_label(code: str | None) -> str:
    """Return the French meaning of a decision code ("ADM – admis"), or the code itself."""
    return LABELS.get(code, code or "")
