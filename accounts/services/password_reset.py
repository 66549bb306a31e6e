"""« Mot de passe oublié »: requests throttled per address, the link e-mailed by the background worker."""
import hashlib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import PasswordResetRequest

SUBJECT = "BUT GMP : choisir un nouveau mot de passe"
THROTTLED = ("Trop de demandes pour cette adresse : un lien a déjà été envoyé. Consultez votre messagerie, ou "
             "réessayez dans une heure.")
WINDOW = timedelta(hours=1)


def _digest(address: str) -> str:
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()


def reset_request_record(*, address: str) -> bool:
    """Record a request for `address`; return False when BUTGMP_PASSWORD_RESET_PER_HOUR are already reached.

    Counted per address whether or not an account has it, so the answer tells nothing about accounts. Requests
    older than a day are forgotten.
    """
    now = timezone.now()
    digest = _digest(address)
    with transaction.atomic():
        PasswordResetRequest.objects.filter(requested_at__lt=now - timedelta(days=1)).delete()
        recent = (PasswordResetRequest.objects.select_for_update()
                  .filter(address_digest=digest, requested_at__gte=now - WINDOW))
        if len(recent) >= settings.BUTGMP_PASSWORD_RESET_PER_HOUR:
            return False
        PasswordResetRequest.objects.create(address_digest=digest)
    return True


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
    body = render_to_string("accounts/email/password_reset.txt", {
        "user": user, "link": reset_link(user=user, base_url=base_url),
        "days": settings.PASSWORD_RESET_TIMEOUT // 86400})
    EmailMessage(subject=SUBJECT, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]).send()
    return True


def reset_requested(*, address: str, users, base_url: str) -> bool:
    """Record a request for `address` and queue a link for each of `users`; False when throttled (nothing sent)."""
    from accounts.tasks import send_password_reset_link  # the task module imports this one

    if not reset_request_record(address=address):
        return False
    for user in users:
        send_password_reset_link.enqueue(user_id=user.pk, base_url=base_url)
    return True


ACCOUNT_SUBJECT = "BUT GMP : votre compte"


def account_link_send(*, user_id: int, base_url: str) -> bool:
    """E-mail a new staff account its login and the link where they choose their password (in the worker)."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    body = render_to_string("accounts/email/account_created.txt", {
        "user": user, "link": reset_link(user=user, base_url=base_url),
        "days": settings.PASSWORD_RESET_TIMEOUT // 86400})
    EmailMessage(subject=ACCOUNT_SUBJECT, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]).send()
    return True
