"""Template filters that show people and moments the French way: `{{ user|person }}`, `{{ at|paris }}`."""
from django import template

from butgmp.people import person_name
from butgmp.times import paris_datetime

register = template.Library()


@register.filter
def person(user) -> str:
    """Show a user by their name (their login only when the account has no name)."""
    return person_name(user)


@register.filter
def paris(value) -> str:
    """Show a moment in Paris time, in the application's one format."""
    return paris_datetime(value)
