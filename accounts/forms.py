"""Forms of the accounts app."""
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.validators import UnicodeUsernameValidator

from accounts.policy import local_login_allowed
from accounts.services.users import NewStaff, SignIn
from butgmp.roles import STAFF_ROLES
from curriculum.models import Module
from grading.models import SemesterInstance


class PasswordForgottenForm(PasswordResetForm):
    """« Mot de passe oublié »: the address of the account; only accounts that may sign in with a password."""

    email = forms.EmailField(label="Adresse électronique", max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}))

    def get_users(self, email):
        users = get_user_model().objects.filter(email__iexact=email.strip(), is_active=True)
        return [user for user in users.select_related("account_profile")
                if user.has_usable_password() and local_login_allowed(user)]


ROLE_CHOICES = [(str(role), str(role)) for role in STAFF_ROLES]


class StaffCreateForm(forms.Form):
    username = forms.CharField(label="Identifiant de connexion", max_length=150,
                               validators=[UnicodeUsernameValidator()],
                               help_text="Lettres, chiffres et @ . + - _ ; avec le CAS, de préférence "
                                         "l'identifiant de l'université.")
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    email = forms.EmailField(label="Adresse électronique", required=False)
    roles = forms.MultipleChoiceField(label="Rôles", choices=ROLE_CHOICES, widget=forms.CheckboxSelectMultiple)
    sign_in = forms.ChoiceField(label="Première connexion", widget=forms.RadioSelect, initial=SignIn.LINK, choices=[
        (SignIn.LINK, "Envoyer par courriel un lien pour choisir un mot de passe"),
        (SignIn.CAS, "Par le CAS de l'université seulement (aucun mot de passe)"),
    ])
    cas_id = forms.CharField(label="Identifiant CAS", max_length=150, required=False,
                             help_text="Seulement s'il diffère de l'identifiant de connexion.")
    local_login_allowed = forms.BooleanField(label="Connexion locale autorisée", required=False,
                                             help_text="Même quand le CAS est exigé (vacataire hors annuaire, "
                                                       "secours de la direction).")

    def clean(self):
        data = super().clean()
        if data.get("sign_in") == SignIn.LINK and not data.get("email"):
            self.add_error("email", "Indiquez l'adresse où envoyer le lien, ou choisissez le CAS seulement.")
        return data

    def new_staff(self) -> NewStaff:
        data = self.cleaned_data
        return NewStaff(username=data["username"], first_name=data["first_name"], last_name=data["last_name"],
                        email=data["email"], roles=tuple(data["roles"]), cas_id=data["cas_id"].strip(),
                        sign_in=data["sign_in"], local_login_allowed=data["local_login_allowed"])


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(label="Rôles", choices=ROLE_CHOICES, widget=forms.CheckboxSelectMultiple)


class SignInForm(forms.Form):
    cas_id = forms.CharField(label="Identifiant CAS", max_length=150, required=False,
                             help_text="Vide : l'identifiant de connexion.")
    local_login_allowed = forms.BooleanField(label="Connexion locale autorisée", required=False)


class ActiveForm(forms.Form):
    active = forms.BooleanField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(label="Motif", max_length=300, required=False)


class InstanceChoiceForm(forms.Form):
    semestre = forms.ModelChoiceField(label="Semestre", queryset=SemesterInstance.objects.none(), required=False,
                                      empty_label="— choisir un semestre —")

    def __init__(self, *args, instances, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["semestre"].queryset = instances


class ResponsibilityForm(forms.Form):
    module = forms.ModelChoiceField(label="Module", queryset=Module.objects.none(), empty_label="— choisir un module —")
    lead = forms.BooleanField(label="Responsable du module", required=False,
                              help_text="Sinon : enseignant qui peut aussi en saisir les notes.")

    def __init__(self, *args, semester_instance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = Module.objects.filter(semester=semester_instance.semester).order_by(
            "order", "code")
