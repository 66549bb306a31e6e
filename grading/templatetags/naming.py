"""`{{ session|jury_label }}`: a jury as people name it (grading.naming)."""
from django import template

from grading.naming import jury_label as label_of_jury

register = template.Library()


@register.filter
def jury_label(session) -> str:
    """« BUT2 MPI alternance — Dijon-Auxerre — 2026-2027 — jury du 24/06/2027 »."""
    return label_of_jury(session) if session else ""
