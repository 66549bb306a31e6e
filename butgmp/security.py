"""Who is asking: the client address django-axes counts failed logins against, per login and per address."""
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


def client_ip(request) -> str | None:
    """Return the client's address: the proxy's last X-Forwarded-For hop when TRUST_X_FORWARDED_FOR is on.

    Behind a reverse proxy every request comes from the proxy's address; the proxy appends the real client
    address to X-Forwarded-For, and only that last hop can be trusted (earlier ones come from the client).
    """
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR")


class AddressAwareHandler(AxesDatabaseHandler):
    """django-axes' database handler, which locks a (login, address) pair after AXES_FAILURE_LIMIT failures, plus a
    lock on the address alone after AXES_ADDRESS_FAILURE_LIMIT failures over any logins within the cool-off time:
    spraying a few guesses at many accounts (student logins are INEs) from one address stops there."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        """Return the pair's failures, or the pair's limit once the address has reached its own."""
        failures = super().get_failures(request, credentials)
        if address_failures(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures


def address_failures(request) -> int:
    """Return the failed logins from the request's address, over every login, within the cool-off time."""
    address = getattr(request, "axes_ip_address", None) or client_ip(request)
    since = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
    return AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start"))["total"] or 0
