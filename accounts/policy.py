"""Who may sign in how: CAS on or off, and who keeps a local (password) login when it is on."""
from enum import StrEnum

from django.conf import settings

from butgmp.roles import is_staff_member


class LocalLogin(StrEnum):
    """BUTGMP_LOCAL_LOGIN: who may still sign in with a password of the application when CAS is on."""

    ALL = "all"  # everybody with a password
    STAFF = "staff"  # staff (every role but Étudiant), and those with « connexion locale autorisée »
    FLAGGED = "flagged"  # only those with « connexion locale autorisée »


LOCAL_REFUSED = ("Votre compte se connecte par le CAS de l'université : utilisez le bouton « Se connecter avec "
                 "le CAS ». La connexion par mot de passe de l'application ne vous est pas ouverte.")


def cas_enabled() -> bool:
    """Tell whether CAS login is on (CAS_SERVER_URL is set)."""
    return bool(settings.CAS_SERVER_URL)


def local_login_allowed(user) -> bool:
    """Tell whether `user` may sign in with a password of the application.

    With CAS off, everybody may (it is the only way in). With CAS on, superusers always may (Direction's way in
    when the CAS is down), and so may a user with « connexion locale autorisée »; the others as BUTGMP_LOCAL_LOGIN
    says.
    """
    if not cas_enabled() or user.is_superuser:
        return True
    profile = getattr(user, "account_profile", None)
    if profile is not None and profile.local_login_allowed:
        return True
    mode = LocalLogin(settings.BUTGMP_LOCAL_LOGIN)
    if mode == LocalLogin.ALL:
        return True
    if mode == LocalLogin.STAFF:
        return is_staff_member(user)
    return False
