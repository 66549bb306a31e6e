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
