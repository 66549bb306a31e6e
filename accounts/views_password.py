"""« Mot de passe oublié »: ask for a link by e-mail (sent by the worker), then choose the new password."""
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from accounts.forms import PasswordForgottenForm
from accounts.services.password_reset import THROTTLED, reset_requested


def _base_url(request) -> str:
    return settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")


def password_forgotten(request):
    """Ask for a link; the same answer whether or not an account has the address."""
    form = PasswordForgottenForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        address = form.cleaned_data["email"]
        if reset_requested(address=address, users=form.get_users(address), base_url=_base_url(request)):
            return redirect("accounts:password_forgotten_done")
        form.add_error("email", THROTTLED)
        status = 429
    return render(request, "accounts/password_forgotten.html", {"form": form}, status=status)


def password_forgotten_done(request):
    return render(request, "accounts/password_forgotten_done.html",
                  {"days": settings.PASSWORD_RESET_TIMEOUT // 86400})


password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"))

password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html")
