"""Reference data: the BUT GMP speciality, its competences, and each IUT's programmes.

A programme is one IUT's version of the speciality for a parcours, a modality and a first
academic year. Its semesters hold UEs and modules; the coefficient matrix (ModuleUE) says how
much each module weighs in each UE, with the hours the source gives for that pair.
"""
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q


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


class Speciality(models.Model):
    code = models.CharField("code", max_length=20, unique=True)
    name = models.CharField("intitulé", max_length=200)
    rncp = models.CharField("fiche RNCP", max_length=20, blank=True)

    class Meta:
        verbose_name = "spécialité"
        verbose_name_plural = "spécialités"
        ordering = ["code"]

    def __str__(self):
        return f"BUT {self.code}"

    def natural_key(self):
        return (self.code,)


class Parcours(models.Model):
    speciality = models.ForeignKey(Speciality, on_delete=models.CASCADE, related_name="parcours",
                                   verbose_name="spécialité")
    code = models.CharField("code", max_length=20)
    name = models.CharField("intitulé", max_length=200)

    class Meta:
        verbose_name = "parcours"
        verbose_name_plural = "parcours"
        ordering = ["speciality", "code"]
        constraints = [
            models.UniqueConstraint(fields=["speciality", "code"], name="parcours_unique_code"),
        ]

    def __str__(self):
        return f"{self.code} – {self.name}"


class Competence(models.Model):
    """A competence of the speciality: one of the common ones, or a parcours' own."""

    speciality = models.ForeignKey(Speciality, on_delete=models.CASCADE, related_name="competences",
                                   verbose_name="spécialité")
    code = models.CharField("code", max_length=20)
    short_name = models.CharField("nom court", max_length=60)
    name = models.CharField("intitulé", max_length=250)
    number = models.PositiveSmallIntegerField("numéro", default=1)
    parcours = models.ForeignKey(Parcours, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="competences", verbose_name="parcours",
                                 help_text="Vide pour une compétence commune à tous les parcours.")
    situations = models.TextField("situations professionnelles", blank=True, help_text="Une par ligne.")
    essential_components = models.TextField("composantes essentielles", blank=True, help_text="Une par ligne.")

    class Meta:
        verbose_name = "compétence"
        verbose_name_plural = "compétences"
        ordering = ["speciality", "number", "code"]
        constraints = [
            models.UniqueConstraint(fields=["speciality", "code"], name="competence_unique_code"),
        ]

    def __str__(self):
        return f"{self.short_name} ({self.code})"


class CompetenceLevel(models.Model):
    competence = models.ForeignKey(Competence, on_delete=models.CASCADE, related_name="levels",
                                   verbose_name="compétence")
    level = models.PositiveSmallIntegerField("niveau")
    label = models.CharField("libellé", max_length=250)

    class Meta:
        verbose_name = "niveau de compétence"
        verbose_name_plural = "niveaux de compétence"
        ordering = ["competence", "level"]
        constraints = [
            models.UniqueConstraint(fields=["competence", "level"], name="competence_level_unique"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=3), name="competence_level_1_to_3"),
        ]

    def __str__(self):
        return f"{self.competence.short_name} – Niveau {self.level} – {self.label}"

    @property
    def rcue_key(self) -> str:
        return f"{self.competence.code}-{self.level}"


class CriticalLearning(models.Model):
    level = models.ForeignKey(CompetenceLevel, on_delete=models.CASCADE, related_name="critical_learnings",
                              verbose_name="niveau")
    code = models.CharField("code", max_length=20, blank=True)
    text = models.TextField("apprentissage critique")
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "apprentissage critique"
        verbose_name_plural = "apprentissages critiques"
        ordering = ["level", "order"]

    def __str__(self):
        return self.text[:80]


class CompetenceBlock(models.Model):
    """A certification block of the RNCP record (e.g. RNCP35463BC01)."""

    speciality = models.ForeignKey(Speciality, on_delete=models.CASCADE, related_name="blocks",
                                   verbose_name="spécialité")
    code = models.CharField("code", max_length=30, unique=True)
    title = models.CharField("intitulé", max_length=250)
    competence = models.ForeignKey(Competence, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="blocks", verbose_name="compétence")
    skills = models.TextField("compétences attestées", blank=True, help_text="Une par ligne.")

    class Meta:
        verbose_name = "bloc de compétences"
        verbose_name_plural = "blocs de compétences"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} – {self.title}"


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


class ApogeeYear(models.Model):
    """A programme year's Apogée codes: its étape (VET) and version, and its year element."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="apogee_years",
                                  verbose_name="programme")
    year = models.PositiveSmallIntegerField("année de BUT")
    step = models.CharField("étape (VET)", max_length=20, blank=True)
    step_version = models.CharField("version d'étape", max_length=20, blank=True)
    year_element = models.CharField("élément année", max_length=20, blank=True)

    class Meta:
        verbose_name = "codes Apogée d'une année"
        verbose_name_plural = "codes Apogée des années"
        ordering = ["programme", "year"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="apogee_year_unique"),
            models.CheckConstraint(condition=Q(year__gte=1, year__lte=3), name="apogee_year_1_to_3"),
        ]

    def __str__(self):
        return f"{self.programme.code} BUT{self.year}"


class ApogeeRcue(models.Model):
    """The Apogée element of one RCUE (a competence level) of a programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="apogee_rcues",
                                  verbose_name="programme")
    competence_level = models.ForeignKey(CompetenceLevel, on_delete=models.CASCADE, related_name="+",
                                         verbose_name="niveau de compétence")
    code = models.CharField("code Apogée", max_length=20, blank=True)

    class Meta:
        verbose_name = "code Apogée d'un RCUE"
        verbose_name_plural = "codes Apogée des RCUE"
        constraints = [
            models.UniqueConstraint(fields=["programme", "competence_level"], name="apogee_rcue_unique"),
        ]

    def __str__(self):
        return f"{self.programme.code} RCUE {self.competence_level.rcue_key}"


class ProgrammeChange(models.Model):
    """Audit row: one change of a programme (a field of a UE, a module, a coefficient cell…), who, when, old, new.

    Rows written by one action (one save of the matrix page, one admin save, one fixture load) share a `batch`.
    """

    class Source(models.TextChoices):
        PAGE = "page", "Page de modification"
        ADMIN = "admin", "Administration"
        FIXTURES = "fixtures", "Chargement des fixtures"
        VERSION = "version", "Nouvelle version"

    class Action(models.TextChoices):
        CREATE = "create", "ajout"
        UPDATE = "update", "modification"
        DELETE = "delete", "suppression"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="changes",
                                  verbose_name="programme")
    semester_number = models.PositiveSmallIntegerField("semestre", null=True, blank=True)
    at = models.DateTimeField("le", auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name="par")
    source = models.CharField("origine", max_length=10, choices=Source.choices)
    action = models.CharField("action", max_length=10, choices=Action.choices)
    subject = models.CharField("objet", max_length=120)  # "UE3.2", "R3.01", "R3.01 × UE3.2", the programme code
    field = models.CharField("champ", max_length=60, blank=True)
    old_value = models.TextField("ancienne valeur", blank=True)
    new_value = models.TextField("nouvelle valeur", blank=True)
    batch = models.CharField("lot", max_length=40, blank=True)

    class Meta:
        verbose_name = "modification de programme"
        verbose_name_plural = "historique des programmes"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["programme", "-at"], name="programme_change_at")]

    def __str__(self):
        return f"{self.subject} · {self.field or self.get_action_display()} : {self.old_value or '∅'} → " \
               f"{self.new_value or '∅'}"


class ReferenceChange(models.Model):
    """Audit row: one change of the speciality's reference data (a competence's texts, a level label, an
    apprentissage critique), who, when, old, new. Rows written by one import share a `batch`."""

    class Source(models.TextChoices):
        REFERENTIEL = "referentiel", "Import du référentiel"
        ADMIN = "admin", "Administration"

    speciality = models.ForeignKey(Speciality, on_delete=models.CASCADE, related_name="changes",
                                   verbose_name="spécialité")
    at = models.DateTimeField("le", auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name="par")
    source = models.CharField("origine", max_length=12, choices=Source.choices, default=Source.REFERENTIEL)
    action = models.CharField("action", max_length=10, choices=ProgrammeChange.Action.choices)
    subject = models.CharField("objet", max_length=120)  # "Spécifier", "Spécifier niveau 1", "AC11.01"
    field = models.CharField("champ", max_length=60, blank=True)
    old_value = models.TextField("ancienne valeur", blank=True)
    new_value = models.TextField("nouvelle valeur", blank=True)
    batch = models.CharField("lot", max_length=40, blank=True)

    class Meta:
        verbose_name = "modification du référentiel"
        verbose_name_plural = "historique du référentiel"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.subject} · {self.field or self.get_action_display()}"
