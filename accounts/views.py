"""Signing in and out: the CAS round trip, its refusal page, and a logout that ends the CAS session too."""
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_POST
from django_cas_ng import views as cas_views

from accounts.policy import cas_enabled
from accounts.selectors import cas_session


class CasLoginView(cas_views.LoginView):
    """Lead to the university's CAS, then check the ticket it gives back; a refusal is a French page, not a 403."""

    def get(self, request):
        if not cas_enabled():
            raise Http404("La connexion par le CAS n'est pas activée.")
        try:
            return super().get(request)
        except PermissionDenied:
            refusal = getattr(request, "cas_refusal", None)
            return render(request, "accounts/cas_refused.html", {
                "refusal": refusal, "contact": settings.BUTGMP_ACCOUNTS_CONTACT,
                "cas_logout_url": settings.CAS_SERVER_URL.rstrip("/") + "/logout"}, status=403)

    def post(self, request):
        if not cas_enabled():
            raise Http404("La connexion par le CAS n'est pas activée.")
        return super().post(request)


@require_POST
def logout(request):
    """Log out; a session opened through the CAS also ends the CAS session (the CAS then sends back here)."""
    key = request.session.session_key
    if cas_enabled() and key and cas_session(key):
        return cas_views.LogoutView.as_view()(request)
    return auth_views.LogoutView.as_view()(request)
