"""Absolute links in e-mails: the SITE_URL setting, or the address of the request that sends them."""
from django.conf import settings


def site_url(request=None) -> str:
    """Return the site's base address without a trailing slash."""
    if settings.SITE_URL:
        return settings.SITE_URL
    if request is None:
        return "http://127.0.0.1:8000"
    return request.build_absolute_uri("/").rstrip("/")
