"""« Mot de passe oublié »: requests throttled per address, the link e-mailed by the background worker
(`accounts.tasks`, which writes it with `accounts.emails`)."""
import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import PasswordResetRequest
from accounts.tasks import send_password_reset_link

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


def reset_requested(*, address: str, users, base_url: str) -> bool:
    """Record a request for `address` and queue a link for each of `users`; False when throttled (nothing sent)."""
    if not reset_request_record(address=address):
        return False
    for user in users:
        send_password_reset_link.enqueue(user_id=user.pk, base_url=base_url)
    return True
