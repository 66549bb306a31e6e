"""Each IUT's programmes: a programme is one IUT's version of the speciality for a parcours, a modality and a
first academic year. Its semesters hold UEs and modules; the coefficient matrix (ModuleUE) says how much each
module weighs in each UE, with the hours the source gives for that pair."""
from decimal import Decimal

from django.db import models
from django.db.models import Q

from curriculum.models.reference import CompetenceLevel, Parcours, Speciality


class ModuleKind(models.TextChoices):
    RESOURCE = "resource", "Ressource"
    SAE = "sae", "SAÉ"
    PORTFOLIO = "portfolio", "Portfolio"
    STAGE = "stage", "Stage"


SAE_POLE_KINDS = (ModuleKind.SAE, ModuleKind.PORTFOLIO, ModuleKind.STAGE)


class Modality(models.TextChoices):
    INITIAL = "initiale", "Formation initiale"
    WORK_STUDY = "alternance", "Alternance"


class HoursMode(models.TextChoices):
    SPLIT = "split", "Heures réparties par UE"
    REPEATED = "repeated", "Heures répétées sous chaque compétence"


class Programme(models.Model):
    code = models.SlugField("code", max_length=60, unique=True)
    title = models.CharField("intitulé", max_length=250)
    iut = models.CharField("IUT", max_length=120)
    speciality = models.ForeignKey(Speciality, on_delete=models.PROTECT, related_name="programmes",
                                   verbose_name="spécialité")
    parcours = models.ForeignKey(Parcours, on_delete=models.PROTECT, related_name="programmes",
                                 verbose_name="parcours")
    modality = models.CharField("modalité", max_length=20, choices=Modality.choices)
    first_year = models.PositiveSmallIntegerField("première année universitaire",
                                                  help_text="Année de début, ex. 2022 pour 2022-2023.")
    hours_mode = models.CharField("présentation des heures", max_length=10, choices=HoursMode.choices,
                                  default=HoursMode.SPLIT)
    source = models.CharField("source", max_length=250, blank=True)
    notes = models.TextField("remarques et écarts relevés", blank=True)
    previous_version = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="later_versions",
        verbose_name="version précédente",
        help_text="Le programme dont celui-ci est la nouvelle version (les semestres déjà ouverts gardent l'ancienne).")

    class Meta:
        verbose_name = "programme"
        verbose_name_plural = "programmes"
        ordering = ["iut", "parcours__code", "modality", "first_year"]

    def __str__(self):
        return f"{self.iut} – {self.parcours.code} – {self.get_modality_display()} ({self.first_year})"

    def natural_key(self):
        return (self.code,)


class Semester(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="semesters",
                                  verbose_name="programme")
    number = models.PositiveSmallIntegerField("semestre")
    notes = models.TextField("remarques", blank=True)
    apogee_code = models.CharField("code Apogée", max_length=20, blank=True)

    class Meta:
        verbose_name = "semestre"
        verbose_name_plural = "semestres"
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="semester_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=6), name="semester_number_1_to_6"),
        ]

    def __str__(self):
        return f"S{self.number} – {self.programme}"

    @property
    def year(self) -> int:
        return (self.number + 1) // 2


class UE(models.Model):
    semester = models.ForeignKey(Semester, on_delete=models.CASCADE, related_name="ues",
                                 verbose_name="semestre")
    code = models.CharField("code", max_length=20)
    title = models.CharField("intitulé", max_length=250, blank=True)
    competence_level = models.ForeignKey(CompetenceLevel, on_delete=models.PROTECT, related_name="ues",
                                         verbose_name="niveau de compétence")
    ects = models.DecimalField("ECTS", max_digits=4, decimal_places=1)
    rcue_coefficient = models.DecimalField("coefficient dans le RCUE", max_digits=5, decimal_places=2,
                                           default=Decimal("1"))
    parcours = models.ManyToManyField(Parcours, blank=True, related_name="ues", verbose_name="parcours",
                                      help_text="Vide : l'UE est suivie dans tous les parcours.")
    order = models.PositiveSmallIntegerField("ordre", default=0)
    notes = models.TextField("remarques et écarts relevés", blank=True)
    apogee_code = models.CharField("code Apogée", max_length=20, blank=True)

    class Meta:
        verbose_name = "UE"
        verbose_name_plural = "UE"
        ordering = ["semester", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["semester", "code"], name="ue_unique_code_in_semester"),
            models.CheckConstraint(condition=Q(ects__gte=0), name="ue_ects_non_negative"),
            models.CheckConstraint(condition=Q(rcue_coefficient__gte=0), name="ue_rcue_coefficient_non_negative"),
        ]

    def __str__(self):
        return self.code


class Module(models.Model):
    """A resource, SAÉ, portfolio or stage of one semester of a programme.

    Its own hours are the module's total; ModuleUE rows give the hours the source lists
    under each UE (split or repeated, as the programme's hours_mode says).
    """

    semester = models.ForeignKey(Semester, on_delete=models.CASCADE, related_name="modules",
                                 verbose_name="semestre")
    code = models.CharField("code", max_length=30)
    title = models.CharField("intitulé", max_length=250)
    kind = models.CharField("nature", max_length=10, choices=ModuleKind.choices)
    domain = models.CharField("domaine d'enseignement", max_length=120, blank=True)
    domain_coefficient = models.DecimalField(
        "coefficient du domaine", max_digits=5, decimal_places=2, null=True, blank=True,
        help_text="Coefficient global du domaine dans le semestre, quand la source ne donne que lui.")
    code_derived = models.BooleanField(
        "code déduit (absent de la source)", default=False,
        help_text="Coché quand la source ne donne pas de code : il est déduit de la numérotation nationale.")
    cm = models.DecimalField("CM (h)", max_digits=6, decimal_places=1, default=Decimal("0"))
    td = models.DecimalField("TD (h)", max_digits=6, decimal_places=1, default=Decimal("0"))
    tp = models.DecimalField("TP (h)", max_digits=6, decimal_places=1, default=Decimal("0"))
    project = models.DecimalField("projet (h)", max_digits=6, decimal_places=1, default=Decimal("0"))
    evaluation_type = models.CharField("type d'évaluation", max_length=20, blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)
    notes = models.TextField("remarques", blank=True)
    apogee_code = models.CharField("code Apogée", max_length=20, blank=True)

    class Meta:
        verbose_name = "module (ressource, SAÉ…)"
        verbose_name_plural = "modules (ressources, SAÉ…)"
        ordering = ["semester", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["semester", "code"], name="module_unique_code_in_semester"),
            models.CheckConstraint(condition=Q(cm__gte=0, td__gte=0, tp__gte=0, project__gte=0),
                                   name="module_hours_non_negative"),
            models.CheckConstraint(condition=Q(domain_coefficient__isnull=True) | Q(domain_coefficient__gte=0),
                                   name="module_domain_coefficient_non_negative"),
        ]

    def __str__(self):
        return f"{self.code} – {self.title}"

    @property
    def is_sae_pole(self) -> bool:
        return self.kind in SAE_POLE_KINDS


class ModuleUE(models.Model):
    """One cell of the coefficient matrix: module × UE → coefficient, with hours in that UE."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="ue_rows", verbose_name="module")
    ue = models.ForeignKey(UE, on_delete=models.CASCADE, related_name="module_rows", verbose_name="UE")
    coefficient = models.DecimalField("coefficient", max_digits=5, decimal_places=2, null=True, blank=True,
                                      help_text="Vide quand aucune source ne donne ce coefficient.")
    cm = models.DecimalField("CM (h)", max_digits=6, decimal_places=1, default=Decimal("0"))
    td = models.DecimalField("TD (h)", max_digits=6, decimal_places=1, default=Decimal("0"))
    tp = models.DecimalField("TP (h)", max_digits=6, decimal_places=1, default=Decimal("0"))
    project = models.DecimalField("projet (h)", max_digits=6, decimal_places=1, default=Decimal("0"))

    class Meta:
        verbose_name = "coefficient (module × UE)"
        verbose_name_plural = "coefficients (module × UE)"
        ordering = ["ue", "module__kind", "module__order", "module__code"]
        constraints = [
            models.UniqueConstraint(fields=["module", "ue"], name="module_ue_unique"),
            models.CheckConstraint(condition=Q(coefficient__isnull=True) | Q(coefficient__gte=0),
                                   name="module_ue_coefficient_non_negative"),
            models.CheckConstraint(condition=Q(cm__gte=0, td__gte=0, tp__gte=0, project__gte=0),
                                   name="module_ue_hours_non_negative"),
        ]

    def __str__(self):
        return f"{self.module.code} → {self.ue.code} : {self.coefficient}"
