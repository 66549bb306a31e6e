"""A student's identity (name, first name, e-mail, INE, NIP, postal address), changed from the application and
journalled."""
from django.db import transaction

from grading.models import AuditEntry, Student
from grading.services.audit_entries import audit_row, batch_key, journal
from grading.services.errors import ServiceError

INE_TAKEN = "L'INE {ine} est déjà celui de {student}."
NIP_TAKEN = "Le NIP {nip} est déjà celui de {student}."
IDENTITY_FIELDS = ("last_name", "first_name", "email", "ine", "nip", "postal_address")
IDENTITY_LABELS = {"last_name": "Nom", "first_name": "Prénom", "email": "Courriel", "ine": "INE", "nip": "NIP",
                   "postal_address": "Adresse postale"}


def student_identity_update(*, student: Student, last_name: str, first_name: str, email: str, ine: str, nip: str,
                            user, reason: str = "", postal_address: str | None = None) -> list[str]:
    """Change a student's identity; return the names of the fields changed, each journalled (one batch)."""
    values = {"last_name": last_name.strip(), "first_name": first_name.strip(), "email": email.strip(),
              "ine": ine.strip().upper(), "nip": nip.strip()}
    if postal_address is not None:  # None keeps the stored address
        values["postal_address"] = "\n".join(line.strip() for line in postal_address.strip().splitlines())
    with transaction.atomic():
        student = Student.objects.select_for_update().get(pk=student.pk)
        other = Student.objects.filter(ine=values["ine"]).exclude(pk=student.pk).first()
        if other is not None:
            raise ServiceError(INE_TAKEN.format(ine=values["ine"], student=other))
        other = Student.objects.filter(nip=values["nip"]).exclude(pk=student.pk).first() if values["nip"] else None
        if other is not None:
            raise ServiceError(NIP_TAKEN.format(nip=values["nip"], student=other))
        before = str(student)
        changed = [name for name in IDENTITY_FIELDS if name in values and getattr(student, name) != values[name]]
        if not changed:
            return []
        batch = batch_key("student")
        entries = []
        for name in changed:
            entries.append(audit_row(obj=student, action="update", source=AuditEntry.Source.APP, field=name,
                                     old=getattr(student, name), new=values[name],
                                     user=user, batch=batch, reason=reason))
            setattr(student, name, values[name])
        student.full_clean(validate_unique=False)
        student.save(update_fields=changed)
        for entry in entries:
            entry.object_repr = before
        journal(entries)
    return changed
