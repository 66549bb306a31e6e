"""Sessions that end when left idle, and the browser features the site never uses switched off."""
import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

SEEN_KEY = "_butgmp_seen"
TOUCH_EVERY = 60  # seconds: at most one session write a minute per person


class IdleTimeoutMiddleware:
    """Slide a logged-in session's expiry (SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS) at most once a minute: a
    session unused for the idle time has expired in the database and in the browser."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(SEEN_KEY, 0) >= TOUCH_EVERY:
                request.session[SEEN_KEY] = now  # saved with a new expiry date, idle time from now
        return self.get_response(request)


@receiver(user_logged_in)
def _stamp_login(sender, request, **kwargs):
    """Stamp the new session at login (saved with it): the first page after login writes nothing more."""
    if request is not None and hasattr(request, "session"):
        request.session[SEEN_KEY] = int(time.time())


class PermissionsPolicyMiddleware:
    """Send the Permissions-Policy header (camera, microphone, location… refused to every page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
