"""Reads of the department's bulletin settings (one row; defaults until Direction saves them)."""
from grading.models import BulletinSettings

SETTINGS_PK = 1


def bulletin_settings() -> BulletinSettings:
    """Return the bulletin settings (an unsaved row of defaults when none is saved: no rank)."""
    found = BulletinSettings.objects.filter(pk=SETTINGS_PK).first()
    return found if found is not None else BulletinSettings(pk=SETTINGS_PK)


def bulletin_rank_shown() -> bool:
    """Return whether the department shows each student's rank on their bulletins."""
    return bulletin_settings().show_rank
