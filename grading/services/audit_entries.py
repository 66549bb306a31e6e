"""The one helper of the audit journal (`AuditEntry`) for changes other than grades: one row per changed field.

Every service that journals a change builds its rows with `audit_row` and saves them with `journal`, inside its
own transaction; `batch_key` groups the rows of one action (an import, an admin save, a publication).
"""
import secrets
from collections.abc import Iterable

from django.db import models

from grading.models import AuditEntry


def batch_key(prefix: str) -> str:
    """Return a new key grouping the rows of one action (an import, an admin save), to show and undo it."""
    return f"{prefix}-{secrets.token_hex(8)}"[:40]


def audit_row(*, obj: models.Model | None = None, action: str, user, source: str = AuditEntry.Source.APP,
              batch: str = "", field: str = "", old="", new="", reason: str = "", label: str | None = None,
              object_type: str = "", object_id: int | None = None) -> AuditEntry:
    """Return an unsaved journal row about `obj` (or about `object_type`/`object_id` when the object is gone);
    `label` replaces `str(obj)` as the object's name in the journal."""
    return AuditEntry(user=user, source=source, object_type=obj._meta.label_lower if obj is not None else object_type,
                      object_id=obj.pk if obj is not None else object_id,
                      object_repr=(str(obj) if label is None else label)[:250], action=action, field=field[:60],
                      old_value=_text(old), new_value=_text(new), reason=reason, batch=batch)


def journal(rows: Iterable[AuditEntry]) -> list[AuditEntry]:
    """Save journal rows built by `audit_row`, at once, in the caller's transaction."""
    return AuditEntry.objects.bulk_create(list(rows))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)
