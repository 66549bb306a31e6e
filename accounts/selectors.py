"""Reads of the accounts app."""
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django_cas_ng.models import SessionTicket

from butgmp.roles import STAFF_ROLES
from grading.models import AccessPolicy, AuditEntry, JuryPromotion, ModuleResponsible, SemesterInstance, Student
from grading.models.semesters import NAME_RELATED
from grading.services.system_user import SYSTEM_USERNAME


@dataclass(frozen=True)
class CasMatch:
    """Whom a CAS identity is: an account, or an enrolled student still without one, or nobody."""

    user: object | None
    student: Student | None
    nip: str


def cas_session(session_key: str) -> bool:
    """Tell whether a session was opened through the CAS (its logout then ends the CAS session too)."""
    return SessionTicket.objects.filter(session_key=session_key).exists()


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


@dataclass(frozen=True)
class StaffRow:
    """A line of the users page."""

    user: object
    roles: list[str]
    cas_id: str
    local_login_allowed: bool


def staff_accounts() -> list[StaffRow]:
    """Every staff account (any role but Étudiant alone, or superuser), disabled ones too, by name; 2 queries."""
    staff_roles = [str(role) for role in STAFF_ROLES]
    users = (get_user_model().objects.filter(Q(groups__name__in=staff_roles) | Q(is_superuser=True))
             .exclude(username=SYSTEM_USERNAME).distinct().select_related("account_profile")
             .prefetch_related("groups").order_by("last_name", "first_name", "username"))
    rows = []
    for user in users:
        profile = getattr(user, "account_profile", None)
        roles = sorted(g.name for g in user.groups.all() if g.name in staff_roles)
        rows.append(StaffRow(user=user, roles=roles, cas_id=profile.cas_id or "" if profile else "",
                             local_login_allowed=bool(profile and profile.local_login_allowed)))
    return rows


def staff_account(*, pk: int):
    """Return one account for its page, or raise DoesNotExist (students' accounts are not managed here)."""
    return (get_user_model().objects.exclude(username=SYSTEM_USERNAME).select_related("account_profile")
            .prefetch_related("groups").get(pk=pk))


def user_responsibilities_query(*, user):
    """The modules a teacher grades, by semester instance (latest year first), with what their names read."""
    return (ModuleResponsible.objects.filter(user=user)
            .select_related("user", "module", *[f"semester_instance__{name}" for name in NAME_RELATED])
            .order_by("-semester_instance__academic_year__start_year", "semester_instance__semester__number",
                      "module__code"))


@dataclass(frozen=True)
class ResponsibilityRow:
    """A module a teacher grades in a semester instance, with the others who grade it there (its responsible
    first); `locked`: the instance is locked after its jury, so nothing can change."""

    responsibility: ModuleResponsible
    colleagues: list[ModuleResponsible]
    locked: bool


def user_responsibilities(*, user) -> list[ResponsibilityRow]:
    """The modules a teacher grades, each with its other graders in that instance; 2 queries."""
    rows = list(user_responsibilities_query(user=user))
    others: dict[tuple[int, int], list[ModuleResponsible]] = {}
    keys = Q(pk__in=[])
    for row in rows:
        keys |= Q(semester_instance_id=row.semester_instance_id, module_id=row.module_id)
    for other in (ModuleResponsible.objects.filter(keys).exclude(user=user).select_related("user")
                  .order_by("-lead", "user__last_name", "user__first_name")):
        others.setdefault((other.semester_instance_id, other.module_id), []).append(other)
    return [ResponsibilityRow(responsibility=row, colleagues=others.get((row.semester_instance_id, row.module_id), []),
                              locked=row.semester_instance.is_locked) for row in rows]


def user_journal(*, user, limit: int = 200) -> list[AuditEntry]:
    """The journal of the changes made to an account, latest first."""
    return list(AuditEntry.objects.filter(object_type="auth.user", object_id=user.pk)
                .select_related("user")[:limit])


def open_semester_instances():
    """The semester instances a responsibility can be given in (not locked), latest year first."""
    return SemesterInstance.objects.named().filter(is_locked=False)


def user_jury_promotions(*, user) -> list:
    """Return the promotions (programme × academic year) a Jury-role user is assigned to, newest year first."""
    return list(JuryPromotion.objects.filter(user=user).select_related("programme", "academic_year")
                .order_by("-academic_year__start_year", "programme__code"))


def jury_every_promotion() -> bool:
    """Tell whether the department gives every Jury-role user every promotion (no assignment needed)."""
    policy = AccessPolicy.objects.first()
    return bool(policy and policy.jury_every_promotion)
