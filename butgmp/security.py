"""Who is asking: the client address django-axes counts failed logins against."""
from django.conf import settings


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
