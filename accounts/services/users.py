"""Staff accounts managed by Direction: create, roles, sign-in settings, disable; each change journaled.

Journal rows are `AuditEntry` rows about the user (object type "auth.user"), one per changed field, signed by the
member of Direction who made the change.
"""
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import AccountProfile
from accounts.tasks import send_account_link
from butgmp.roles import STAFF_ROLES, Role
from grading.models import AuditEntry
from grading.services.audit_entries import audit_row, batch_key, journal
from grading.services.errors import ServiceError

LOGIN_TAKEN = "L'identifiant « {login} » est déjà celui d'un autre compte."
CAS_ID_TAKEN = "L'identifiant CAS « {cas_id} » est déjà celui d'un autre compte ({name})."
NO_ROLE = "Choisissez au moins un rôle."
NOT_OWN_DIRECTION = "Vous ne pouvez pas retirer votre propre rôle Direction : demandez-le à un autre membre."
NOT_OWN_ACCOUNT = "Vous ne pouvez pas désactiver votre propre compte."
LAST_DIRECTION = "C'est le dernier compte actif de la direction : il ne peut pas perdre ce rôle ni être désactivé."


# Journal field names, as the users page shows them.
FIELD_LOGIN = "identifiant"
FIELD_ROLES = "rôles"
FIELD_CAS_ID = "identifiant CAS"
FIELD_LOCAL = "connexion locale autorisée"
FIELD_ACTIVE = "compte actif"


class SignIn:
    """How a new account signs in first: a set-password link by e-mail, or the CAS only (no password)."""

    LINK = "link"
    CAS = "cas"


@dataclass(frozen=True)
class NewStaff:
    username: str
    first_name: str
    last_name: str
    email: str
    roles: tuple[str, ...]
    cas_id: str = ""
    sign_in: str = SignIn.LINK
    local_login_allowed: bool = False


def _roles_text(names) -> str:
    return ", ".join(sorted(names))


def _check_cas_id(*, cas_id: str, user=None) -> None:
    if not cas_id:
        return
    other = AccountProfile.objects.filter(cas_id=cas_id).exclude(user=user).select_related("user").first()
    if other is not None:
        name = other.user.get_full_name() or other.user.username
        raise ServiceError(CAS_ID_TAKEN.format(cas_id=cas_id, name=name))


def staff_user_create(*, by, new: NewStaff, base_url: str):
    """Create a staff account with its roles and sign-in settings; with SignIn.LINK, queue a set-password e-mail.

    The account never gets a password chosen by someone else: it has none until its owner sets one.
    """
    roles = set(new.roles) & set(STAFF_ROLES)
    if not roles:
        raise ServiceError(NO_ROLE)
    users = get_user_model().objects
    with transaction.atomic():
        if users.filter(username__iexact=new.username).exists():
            raise ServiceError(LOGIN_TAKEN.format(login=new.username))
        _check_cas_id(cas_id=new.cas_id)
        user = users.model(username=new.username, first_name=new.first_name, last_name=new.last_name,
                           email=new.email)
        user.set_unusable_password()
        try:
            user.full_clean(exclude=["password"])
        except ValidationError as exc:
            raise ServiceError(" ".join(exc.messages)) from exc
        user.save()
        user.groups.set([AuthGroup.objects.get_or_create(name=name)[0] for name in sorted(roles)])
        AccountProfile.objects.create(user=user, cas_id=new.cas_id or None,
                                      local_login_allowed=new.local_login_allowed)
        batch = batch_key("users")
        journal([
            audit_row(obj=user, action="create", user=by, source=AuditEntry.Source.APP, batch=batch,
                      field=FIELD_LOGIN, new=user.username),
            audit_row(obj=user, action="update", user=by, source=AuditEntry.Source.APP, batch=batch,
                      field=FIELD_ROLES, new=_roles_text(roles)),
            audit_row(obj=user, action="update", user=by, source=AuditEntry.Source.APP, batch=batch,
                      field=FIELD_CAS_ID, new=new.cas_id),
            audit_row(obj=user, action="update", user=by, source=AuditEntry.Source.APP, batch=batch,
                      field=FIELD_LOCAL, new=new.local_login_allowed),
        ])
        if new.sign_in == SignIn.LINK and user.email:
            send_account_link.enqueue(user_id=user.pk, base_url=base_url)  # a row of this transaction
    return user


def _active_direction_count(*, excluding) -> int:
    return (get_user_model().objects.filter(is_active=True, groups__name=Role.DIRECTION)
            .exclude(pk=excluding.pk).distinct().count())


def user_roles_set(*, by, user, roles) -> bool:
    """Give `user` exactly these staff roles (their Étudiant role, if any, is kept). Return whether it changed."""
    wanted = set(roles) & set(STAFF_ROLES)
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        current = set(user.groups.values_list("name", flat=True))
        before = current & set(STAFF_ROLES)
        if wanted == before:
            return False
        if not wanted:
            raise ServiceError(NO_ROLE)
        if Role.DIRECTION in before and Role.DIRECTION not in wanted:
            if user.pk == by.pk:
                raise ServiceError(NOT_OWN_DIRECTION)
            if user.is_active and not _active_direction_count(excluding=user):
                raise ServiceError(LAST_DIRECTION)
        keep = current - set(STAFF_ROLES)
        user.groups.set([AuthGroup.objects.get_or_create(name=name)[0] for name in sorted(wanted | keep)])
        journal([
            audit_row(obj=user, action="update", user=by, source=AuditEntry.Source.APP, field=FIELD_ROLES,
                      old=_roles_text(before), new=_roles_text(wanted)),
        ])
    return True


def user_active_set(*, by, user, active: bool, reason: str = "") -> bool:
    """Enable or disable an account (a disabled one can no longer sign in, by password or CAS; its sessions end)."""
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        if user.is_active == active:
            return False
        if not active:
            if user.pk == by.pk:
                raise ServiceError(NOT_OWN_ACCOUNT)
            if user.groups.filter(name=Role.DIRECTION).exists() and not _active_direction_count(excluding=user):
                raise ServiceError(LAST_DIRECTION)
        user.is_active = active
        user.save(update_fields=["is_active"])
        journal([
            audit_row(obj=user, action="update", user=by, source=AuditEntry.Source.APP, field=FIELD_ACTIVE,
                      old=not active, new=active, reason=reason),
        ])
    return True


def user_sign_in_set(*, by, user, cas_id: str, local_login_allowed: bool) -> bool:
    """Set how a user signs in: their CAS identifier (empty: their login) and « connexion locale autorisée »."""
    cas_id = cas_id.strip()
    with transaction.atomic():
        profile, _ = AccountProfile.objects.select_for_update().get_or_create(user=user)
        _check_cas_id(cas_id=cas_id, user=user)
        rows = []
        if (profile.cas_id or "") != cas_id:
            rows.append(audit_row(obj=user, action="update", user=by, source=AuditEntry.Source.APP, field=FIELD_CAS_ID,
                                  old=profile.cas_id or "", new=cas_id))
            profile.cas_id = cas_id or None
        if profile.local_login_allowed != local_login_allowed:
            rows.append(audit_row(obj=user, action="update", user=by, source=AuditEntry.Source.APP,
                                  field=FIELD_LOCAL, old=profile.local_login_allowed,
                                  new=local_login_allowed))
            profile.local_login_allowed = local_login_allowed
        if not rows:
            return False
        profile.save()
        journal(rows)
    return True
