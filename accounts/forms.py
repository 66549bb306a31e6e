"""Forms of the accounts app."""
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm

from accounts.policy import local_login_allowed


class PasswordForgottenForm(PasswordResetForm):
    """« Mot de passe oublié »: the address of the account; only accounts that may sign in with a password."""

    email = forms.EmailField(label="Adresse électronique", max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}))

    def get_users(self, email):
        users = get_user_model().objects.filter(email__iexact=email.strip(), is_active=True)
        return [user for user in users.select_related("account_profile")
                if user.has_usable_password() and local_login_allowed(user)]
