"""Accounts made at a student's first CAS login."""
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from django.db import transaction

from butgmp.roles import Role
from grading.models import AuditEntry, Student
from grading.services.audit_entries import audit_row, batch_key, journal


def student_account_create(*, student: Student, cas_id: str):
    """Create the account of an enrolled student at their first CAS login: the Étudiant role only, no password.

    The login is the CAS identifier (or the NIP when another account holds it); the account is linked to the
    student and journaled as the student's own doing. Return the account, or the one another request created
    for the same student a moment before.
    """
    users = get_user_model().objects
    with transaction.atomic():
        student = Student.objects.select_for_update(of=("self",)).select_related("user").get(pk=student.pk)
        if student.user is not None:
            return student.user
        username = cas_id if not users.filter(username=cas_id).exists() else student.nip
        account = users.model(username=username, first_name=student.first_name, last_name=student.last_name,
                              email=student.email)
        account.set_unusable_password()
        account.full_clean(exclude=["password"])
        account.save()
        account.groups.add(AuthGroup.objects.get_or_create(name=Role.STUDENT)[0])
        student.user = account
        student.save(update_fields=["user"])
        batch = batch_key("cas")
        journal([
            audit_row(obj=student, action="update", user=account, source=AuditEntry.Source.APP, batch=batch,
                      field="user", new=account.username, reason="première connexion par le CAS"),
        ])
    return account
