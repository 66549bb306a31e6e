"""The department's bulletin settings, changed by Direction only: one transaction, one journal row per change."""
from django.db import transaction

from grading.access import may_set_department
from grading.models import BulletinSettings
from grading.selectors.bulletin_settings import SETTINGS_PK
from grading.services.audit_entries import audit_row, batch_key, journal
from grading.services.errors import ServiceError

DIRECTION_ONLY = "Seule la direction choisit ce que montrent les bulletins."


def bulletin_settings_update(*, user, show_rank: bool) -> BulletinSettings:
    """Set whether the bulletins show each student's rank (Direction only); journal the change."""
    if not may_set_department(user):
        raise ServiceError(DIRECTION_ONLY)
    with transaction.atomic():
        found, _ = BulletinSettings.objects.select_for_update().get_or_create(pk=SETTINGS_PK)
        if found.show_rank != show_rank:
            old, found.show_rank = found.show_rank, show_rank
            found.save(update_fields=["show_rank"])
            journal([audit_row(obj=found, action="update", user=user, batch=batch_key("bulletins"),
                               field="show_rank", old="oui" if old else "non", new="oui" if show_rank else "non")])
    return found
