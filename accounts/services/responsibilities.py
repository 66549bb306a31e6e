"""A teacher's modules in a semester instance, set from the users page: responsible or other grader, journaled."""
from django.db import transaction

from grading.models import AuditEntry, ModuleResponsible
from grading.services.audit_entries import audit_row, journal
from grading.services.semesters import responsible_add, responsible_remove

FIELD = "module"


def _label(responsibility: ModuleResponsible) -> str:
    kind = "responsable" if responsibility.lead else "correcteur"
    return f"{responsibility.module.code} ({kind}) – {responsibility.semester_instance}"


def responsibility_add(*, by, semester_instance, module, user, lead: bool) -> ModuleResponsible:
    """Let `user` grade `module` in the instance; as its responsible, the previous responsible stays a grader."""
    with transaction.atomic():
        rows = []
        if lead:
            for previous in (ModuleResponsible.objects.select_for_update()
                             .filter(semester_instance=semester_instance, module=module, lead=True)
                             .select_related("user", "module", "semester_instance")):
                old = _label(previous)
                previous.lead = False
                previous.save(update_fields=["lead"])
                rows.append(audit_row(obj=previous.user, action="update", user=by, source=AuditEntry.Source.APP,
                                      field=FIELD, old=old, new=_label(previous)))
        responsibility = responsible_add(semester_instance=semester_instance, module=module, user=user, lead=lead)
        rows.append(audit_row(obj=user, action="create", user=by, source=AuditEntry.Source.APP, field=FIELD,
                              new=_label(responsibility)))
        journal(rows)
    return responsibility


def responsibility_remove(*, by, responsibility: ModuleResponsible) -> None:
    """Take a module away from a teacher in that instance."""
    with transaction.atomic():
        label = _label(responsibility)
        responsible_remove(responsible=responsibility)
        journal([
            audit_row(obj=responsibility.user, action="delete", user=by, source=AuditEntry.Source.APP, field=FIELD,
                      old=label),
        ])
