"""Rows of the journal of non-grade changes (grading.models.AuditEntry), built for a service to bulk-create."""
from uuid import uuid4

from django.db import models

from grading.models import AuditEntry


def new_batch() -> str:
    """Return a key shared by the rows one action writes (shown and undone as one step)."""
    return uuid4().hex


def change_entry(*, obj: models.Model, field: str, old, new, user, batch: str, reason: str = "",
                 action: str = "update", source: str = AuditEntry.Source.APP) -> AuditEntry:
    """Return the (unsaved) journal row of one changed field of one object."""
    return AuditEntry(user=user, source=source, object_type=obj._meta.label_lower, object_id=obj.pk,
                      object_repr=str(obj)[:250], action=action, field=field,
                      old_value="" if old is None else str(old), new_value="" if new is None else str(new),
                      reason=reason, batch=batch)
