"""Authentication backends: the local password login under its policy, and the university's CAS."""
from dataclasses import dataclass

from django.contrib.auth.backends import ModelBackend
from django_cas_ng.utils import get_cas_client

from accounts.policy import local_login_allowed
from accounts.selectors import cas_match
from accounts.services.cas_accounts import student_account_create


class LocalLoginBackend(ModelBackend):
    """Django's password login, refusing those who must sign in through the CAS (accounts.policy).

    The password is checked first, so a refusal tells nothing about a wrong password; the login page reads
    `request.local_login_refused` to say why.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and not local_login_allowed(user):
            if request is not None:
                request.local_login_refused = True
            return None
        return user


@dataclass(frozen=True)
class CasRefusal:
    """Why a person the CAS vouched for was not let in (shown on the refusal page)."""

    cas_id: str
    nip: str
    reason: str  # "unknown", "student_unknown", "inactive"


class UniversityCASBackend(ModelBackend):
    """Sign in with a CAS ticket: staff by their CAS identifier, students by their NIP; nobody else.

    Staff match the user whose `cas_id` is the CAS identifier, or else whose login is (when they have no
    `cas_id`). A student matches by the NIP the CAS releases in BUTGMP_CAS_STUDENT_ATTRIBUTE; an enrolled student
    without an account gets one, with the Étudiant role only. Nobody is ever created with other rights. On a
    refusal, `request.cas_refusal` says why.
    """

    def authenticate(self, request, ticket, service):
        client = get_cas_client(service_url=service, request=request)
        cas_id, attributes, _pgtiou = client.verify_ticket(ticket)
        if not cas_id:
            return None
        match = cas_match(cas_id=cas_id, attributes=attributes or {})
        user = match.user
        if user is None and match.student is not None:
            user = student_account_create(student=match.student, cas_id=cas_id)
        if user is None or not self.user_can_authenticate(user):
            if request is not None:
                reason = "inactive" if user is not None else ("student_unknown" if match.nip else "unknown")
                request.cas_refusal = CasRefusal(cas_id=cas_id, nip=match.nip, reason=reason)
            return None
        return user
