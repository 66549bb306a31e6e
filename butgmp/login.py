"""The login page's own choice: « ne pas rester connecté », a session that ends when the browser closes (shared lab
PCs), and the password-change page every local user has."""
from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.urls import reverse_lazy


class LoginForm(AuthenticationForm):
    browser_session = forms.BooleanField(
        required=False, label="Ne pas rester connecté (ordinateur partagé : la session se termine à la fermeture "
                              "du navigateur)")


class LoginView(auth_views.LoginView):
    form_class = LoginForm

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.cleaned_data.get("browser_session"):
            self.request.session.set_expiry(0)  # a cookie without date: gone with the browser; idle time still holds
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Any logged-in user with a local password changes it (the old one asked; the session stays open)."""

    template_name = "registration/password_change.html"
    success_url = reverse_lazy("password_change_done")
