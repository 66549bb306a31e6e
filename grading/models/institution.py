"""The institution's identity (one row): the names, address, logo and signatures every PDF carries.

Direction edits it on one page (jury.identity_views through grading.services.institution) and each change is
journaled. The logo and the scanned signature are PNG images kept in the database (size-bounded, like every file
the application keeps). Documents stored at a jury's closing keep the identity of that day.
"""
from django.db import models

APPEAL_DEFAULT = (
    "Vous pouvez former un recours gracieux auprès du président du jury et un recours contentieux devant le "
    "tribunal administratif compétent dans un délai de deux mois à compter de la notification de la présente "
    "décision."
)
IMAGE_MAX_BYTES = 1024 * 1024  # a logo or a signature: a PNG of at most 1 MB


class InstitutionIdentity(models.Model):
    """The department's identity on its documents: one row (pk 1), read through `institution_identity()`."""

    university = models.CharField("université", max_length=200, blank=True)
    iut = models.CharField("IUT", max_length=200, blank=True)
    department = models.CharField("département", max_length=200, blank=True)
    postal_address = models.TextField("adresse postale", blank=True)
    telephone = models.CharField("téléphone", max_length=40, blank=True)
    email = models.EmailField("courriel", blank=True)
    city = models.CharField("ville (« Fait à … »)", max_length=100, blank=True)
    president_name = models.CharField("président des jurys par défaut", max_length=200, blank=True,
                                      help_text="Directeur de l'IUT ou délégué ; repris à l'ouverture d'un jury.")
    president_title = models.CharField("titre du président", max_length=200, blank=True,
                                       default="Directeur de l'IUT, président du jury")
    head_name = models.CharField("chef de département", max_length=200, blank=True)
    head_title = models.CharField("titre du chef de département", max_length=200, blank=True,
                                  default="Chef du département")
    appeal_text = models.TextField("voies et délais de recours", default=APPEAL_DEFAULT)
    logo = models.BinaryField("logo (PNG)", null=True, blank=True, editable=False)
    logo_content_type = models.CharField("type du logo", max_length=40, blank=True, editable=False)
    signature = models.BinaryField("signature numérisée (PNG)", null=True, blank=True, editable=False)
    signature_content_type = models.CharField("type de la signature", max_length=40, blank=True, editable=False)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "identité de l'établissement"
        verbose_name_plural = "identité de l'établissement"

    def __str__(self):
        return self.iut or self.university or "Identité de l'établissement"

    @property
    def appeal(self) -> str:
        return self.appeal_text.strip() or APPEAL_DEFAULT

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.postal_address.splitlines() if line.strip()]
