"""The accounts' part of a student's personal data (RGPD): the CAS identifier their account matches and the CAS
tickets of their sessions. Registered into `grading.personal_data` (`AccountsConfig.ready`): exported, and
forgotten when the student is anonymised."""
from django_cas_ng.models import ProxyGrantingTicket

from accounts.models import AccountProfile
from grading.models import Student


def cas_export(student: Student) -> dict | None:
    if student.user_id is None:
        return None
    profile = AccountProfile.objects.filter(user_id=student.user_id).first()
    return {"cas_id": profile.cas_id if profile else None,
            "local_login_allowed": bool(profile and profile.local_login_allowed),
            "cas_tickets": ProxyGrantingTicket.objects.filter(user_id=student.user_id).count()}


def cas_anonymise(student: Student) -> None:
    if student.user_id is None:
        return
    AccountProfile.objects.filter(user_id=student.user_id).update(cas_id=None, local_login_allowed=False)
    ProxyGrantingTicket.objects.filter(user_id=student.user_id).delete()
