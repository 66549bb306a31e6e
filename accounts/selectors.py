"""Reads of the accounts app."""
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q

from grading.models import Student


@dataclass(frozen=True)
class CasMatch:
    """Whom a CAS identity is: an account, or an enrolled student still without one, or nobody."""

    user: object | None
    student: Student | None
    nip: str


def cas_student_number(attributes: dict) -> str:
    """Return the NIP the CAS released (BUTGMP_CAS_STUDENT_ATTRIBUTE; the first value of a list), or ""."""
    value = attributes.get(settings.BUTGMP_CAS_STUDENT_ATTRIBUTE) or ""
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return str(value).strip()


def cas_match(*, cas_id: str, attributes: dict) -> CasMatch:
    """Find the account of a CAS identity: by `cas_id`, then by login (users without `cas_id`), then by NIP."""
    users = get_user_model().objects
    user = (users.filter(account_profile__cas_id=cas_id).first()
            or users.filter(username=cas_id).filter(Q(account_profile__isnull=True)
                                                    | Q(account_profile__cas_id__isnull=True)).first())
    nip = cas_student_number(attributes)
    if user is not None or not nip:
        return CasMatch(user=user, student=None, nip=nip)
    student = Student.objects.select_related("user").filter(nip=nip).first()
    if student is None:
        return CasMatch(user=None, student=None, nip=nip)
    return CasMatch(user=student.user, student=None if student.user else student, nip=nip)
