"""The e-mails carrying a set-password link (« mot de passe oublié », a new staff account), written and sent by
the background worker (`accounts.tasks`), so that no token is ever stored in the queue."""
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

SUBJECT = "BUT GMP : choisir un nouveau mot de passe"


def reset_link(*, user, base_url: str) -> str:
    """Return the one-time link where `user` chooses a new password (valid PASSWORD_LINK_DAYS days)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return base_url + reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})


def reset_link_send(*, user_id: int, base_url: str) -> bool:
    """E-mail the link to the user (in the worker); False when the account is gone or cannot use a password."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or not user.has_usable_password():
        return False
    _send_link(user=user, base_url=base_url, template="accounts/email/password_reset.txt", subject=SUBJECT)
    return True


ACCOUNT_SUBJECT = "BUT GMP : votre compte"


def account_link_send(*, user_id: int, base_url: str) -> bool:
    """E-mail a new staff account its login and the link where they choose their password (in the worker)."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    _send_link(user=user, base_url=base_url, template="accounts/email/account_created.txt", subject=ACCOUNT_SUBJECT)
    return True


def _send_link(*, user, base_url: str, template: str, subject: str) -> None:
    """Send `user` the e-mail `template` carrying their set-password link and how many days it lasts."""
    body = render_to_string(template, {"user": user, "link": reset_link(user=user, base_url=base_url),
                                       "days": settings.PASSWORD_RESET_TIMEOUT // 86400})
    EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]).send()
