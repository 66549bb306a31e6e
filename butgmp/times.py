"""Dates and times as the application shows them: Europe/Paris, one format everywhere."""
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

PARIS = ZoneInfo("Europe/Paris")
DATETIME_FORMAT = "%d/%m/%Y à %H:%M"


def paris_datetime(value: datetime | None) -> str:
    """Return a moment in Paris time, "22/11/2026 à 01:19" (summer and winter time alike); "" for None."""
    if value is None:
        return ""
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_default_timezone())
    return value.astimezone(PARIS).strftime(DATETIME_FORMAT)

