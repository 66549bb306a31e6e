"""Rows of the audit journal (`AuditEntry`) for changes other than grades: one row per changed field."""
import secrets

from django.db import models

from grading.models import AuditEntry


def batch_key(prefix: str) -> str:
    """Return a new key grouping the rows of one action (an import, an admin save), to show and undo it."""
    return f"{prefix}-{secrets.token_hex(8)}"[:40]


def audit_row(*, obj: models.Model, action: str, user, source: str, batch: str = "", field: str = "",
              old="", new="", reason: str = "") -> AuditEntry:
    """Return an unsaved journal row about `obj` (the caller bulk-creates them inside its transaction)."""
    return AuditEntry(user=user, source=source, object_type=obj._meta.label_lower, object_id=obj.pk,
                      object_repr=str(obj)[:250], action=action, field=field[:60], old_value=_text(old),
                      new_value=_text(new), reason=reason, batch=batch)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)
