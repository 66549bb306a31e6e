"""Write the rows a fixture file describes, by natural key: only what differs, every change counted and logged.

Loading a file twice changes nothing; what a file no longer lists is pruned, unless something still uses it. A
row the models refuse fails with the file's key path (`Reader.fail`). The log feeds the programmes' audit
(`curriculum.audit`, source "fixtures").
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import ProtectedError

from curriculum import audit
from curriculum.fixture_yaml import Reader


@dataclass
class FixtureWriter:
    """Idempotent writes: save only what differs, count every change."""

    reader: Reader
    changes: int = 0
    log: list[audit.Change] = field(default_factory=list)  # what changed, for the audit of programmes

    def upsert(self, model: type[models.Model], where: str, lookup: dict, values: dict) -> Any:
        obj = model.objects.filter(**lookup).first()
        created = obj is None
        if created:
            obj, diffs = model(**lookup, **values), []
        else:
            diffs = [(name, getattr(obj, name), value) for name, value in values.items()
                     if getattr(obj, name) != value]
            for name, value in values.items():
                setattr(obj, name, value)
        if created or diffs:
            try:
                obj.full_clean()
            except ValidationError as exc:
                self.reader.fail(where, _validation_message(exc))
            obj.save()
            self.changes += 1
            number = audit.semester_number_of(obj)
            if created:
                self.log.append(audit.Change(audit.Action.CREATE, audit.subject_of(obj), semester_number=number))
            self.log += [audit.Change(audit.Action.UPDATE, audit.subject_of(obj),
                                      str(model._meta.get_field(name).verbose_name), audit.show(old),
                                      audit.show(new), number) for name, old, new in diffs]
        return obj

    def prune(self, queryset: models.QuerySet, keep: Iterable[int], where: str, what: str) -> None:
        stale = queryset.exclude(pk__in=list(keep))
        names = [str(obj) for obj in stale]
        if not names:
            return
        self.log += [audit.Change(audit.Action.DELETE, audit.subject_of(obj),
                                  semester_number=audit.semester_number_of(obj)) for obj in stale]
        try:
            stale.delete()
        except ProtectedError:
            self.reader.fail(where, f"{what} absent(s) du fichier mais encore utilisé(s) : {', '.join(names)}")
        self.changes += len(names)

    def set_m2m(self, manager: Any, objects: list[models.Model]) -> None:
        wanted = {obj.pk for obj in objects}
        if set(manager.values_list("pk", flat=True)) != wanted:
            old = ", ".join(sorted(str(obj) for obj in manager.all()))
            manager.set(objects)
            self.changes += 1
            self.log.append(audit.Change(audit.Action.UPDATE, audit.subject_of(manager.instance), "parcours", old,
                                         ", ".join(sorted(str(obj) for obj in objects)),
                                         audit.semester_number_of(manager.instance)))


def _validation_message(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return " ; ".join(f"{name} : {' '.join(msgs)}" for name, msgs in exc.message_dict.items())
    return " ; ".join(exc.messages)
