"""`{{ absences|count_of:instance_id }}`: a semester's attendance count from a mapping built by the view."""
from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def count_of(counts, instance_id):
    """Return the count of one semester instance, or None."""
    return (counts or {}).get(instance_id)


def _plural(word: str, n: int) -> str:
    return f"{word}s" if n > 1 else word  # French: 0 and 1 take the singular


@register.filter
def attendance_text(count):
    """« <strong>3</strong> demi-journées (1 justifiée, 2 non justifiées) · retards : 2 »: one wording for the pages
    and the bulletins."""
    text = format_html("<strong>{}</strong> {}", count.absent, _plural("demi-journée", count.absent))
    if count.absent:
        text += format_html(" ({} {}, {} non {})", count.justified, _plural("justifiée", count.justified),
                            count.unjustified, _plural("justifiée", count.unjustified))
    return text + format_html(" · {} : {}", _plural("retard", count.late), count.late)
