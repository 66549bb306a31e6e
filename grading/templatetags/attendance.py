"""`{{ absences|count_of:instance_id }}`: a semester's attendance count from a mapping built by the view."""
from django import template

register = template.Library()


@register.filter
def count_of(counts, instance_id):
    """Return the count of one semester instance, or None."""
    return (counts or {}).get(instance_id)
