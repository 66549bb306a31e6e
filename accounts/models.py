"""What the application knows of a user beyond Django's `User`: how they sign in."""
from django.conf import settings
from django.db import models


class AccountProfile(models.Model):
    """A user's sign-in settings: the CAS identifier they match (their login when empty) and the local bypass."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_profile",
                                verbose_name="compte")
    cas_id = models.CharField("identifiant CAS", max_length=150, null=True, blank=True, unique=True,
                              help_text="L'identifiant que le CAS de l'université transmet ; vide : l'identifiant "
                                        "de connexion.")
    local_login_allowed = models.BooleanField(
        "connexion locale autorisée", default=False,
        help_text="Peut se connecter avec un mot de passe de l'application même quand le CAS est exigé.")

    class Meta:
        verbose_name = "profil de connexion"
        verbose_name_plural = "profils de connexion"

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.username} ({self.cas_id or self.user.username})"


class PasswordResetRequest(models.Model):
    """One « mot de passe oublié » request, kept a day to throttle requests per address (no address kept)."""

    address_digest = models.CharField("adresse (empreinte)", max_length=64, db_index=True)
    requested_at = models.DateTimeField("demandé le", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "demande de nouveau mot de passe"
        verbose_name_plural = "demandes de nouveau mot de passe"

    def __str__(self):
        return f"{self.address_digest[:12]}… {self.requested_at:%d/%m/%Y %H:%M}"
