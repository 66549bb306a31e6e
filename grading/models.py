"""Students' enrolments, evaluations, grades, bonuses and jury decisions.

Averages are never stored: the engine (grading.engine) recomputes them from these rows.
Decisions are stored, dated and signed, and superseded rather than changed (R19).
"""
import re
import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from butgmp.times import paris_datetime
from curriculum.models import UE, Module, Parcours, Semester
from grading.engine.codes import DecisionCode, EnrolmentStatus, GradeCode, JuryLevel
from grading.validators import GROUP_PREFIX_RE, grade_display


def random_results_version() -> int:
    """Return the first results version of a semester instance (see SemesterInstance.results_version)."""
    return secrets.randbits(48)


class AcademicYear(models.Model):
    start_year = models.PositiveSmallIntegerField("année de début", unique=True)

    class Meta:
        verbose_name = "année universitaire"
        verbose_name_plural = "années universitaires"
        ordering = ["-start_year"]

    def __str__(self):
        return f"{self.start_year}-{self.start_year + 1}"


class SemesterInstance(models.Model):
    """A programme's semester run in an academic year (for that programme's parcours and modality)."""

    semester = models.ForeignKey(Semester, on_delete=models.PROTECT, related_name="instances",
                                 verbose_name="semestre du programme")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="semester_instances",
                                      verbose_name="année universitaire")
    label = models.CharField("libellé", max_length=60, blank=True,
                             help_text="Pour distinguer deux sessions du même semestre la même année.")
    is_locked = models.BooleanField("verrouillé après jury", default=False)
    # Bumped by every change of what the instance's results are computed from (grading.versions): the key of what
    # pages cache. Not a result: nothing computed is stored. It starts at random, so that an id reused after a
    # rollback (SQLite) never meets the entries of the instance that had it.
    results_version = models.PositiveBigIntegerField("version des résultats", default=random_results_version,
                                                     editable=False)

    class Meta:
        verbose_name = "semestre ouvert"
        verbose_name_plural = "semestres ouverts"
        ordering = ["-academic_year__start_year", "semester__programme__code", "semester__number", "label"]
        constraints = [
            models.UniqueConstraint(fields=["semester", "academic_year", "label"],
                                    name="semester_instance_unique"),
        ]

    def __str__(self):
        """Name it as people say it: "S3 — MPI alternance — Dijon-Auxerre — 2025-2026"."""
        programme = self.semester.programme
        number = f"S{self.semester.number} {self.label}" if self.label else f"S{self.semester.number}"
        return " — ".join([number, f"{programme.parcours.code} {programme.modality}", iut_place(programme.iut),
                           str(self.academic_year)])


def iut_place(iut: str) -> str:
    """Return where an IUT is, as people name it: "IUT Le Creusot" → "Le Creusot", "IUT de Dijon" → "Dijon"."""
    return re.sub(r"^IUT\s+(?:de\s+|d'|du\s+)?", "", iut.strip(), flags=re.IGNORECASE) or iut


class SemesterLockEvent(models.Model):
    """Each lock and unlock of a semester instance is recorded (R19)."""

    semester_instance = models.ForeignKey(SemesterInstance, on_delete=models.CASCADE, related_name="lock_events")
    locked = models.BooleanField("verrouillé")
    reason = models.TextField("motif", blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name="par")
    at = models.DateTimeField("le", auto_now_add=True)

    class Meta:
        verbose_name = "verrouillage de semestre"
        verbose_name_plural = "verrouillages de semestre"
        ordering = ["-at"]

    def __str__(self):
        return f"{'Verrouillage' if self.locked else 'Déverrouillage'} le {paris_datetime(self.at)}"


class Student(models.Model):
    ine = models.CharField("INE", max_length=20, unique=True)
    last_name = models.CharField("nom", max_length=100)
    first_name = models.CharField("prénom", max_length=100)
    email = models.EmailField("courriel", blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="student", verbose_name="compte")
    results_notices = models.BooleanField("avis de publication par courriel", default=True)

    class Meta:
        verbose_name = "étudiant"
        verbose_name_plural = "étudiants"
        ordering = ["last_name", "first_name", "ine"]

    def __str__(self):
        return f"{self.last_name.upper()} {self.first_name}"


class Group(models.Model):
    class Kind(models.TextChoices):
        TD = "TD", "TD"
        TP = "TP", "TP"

    semester_instance = models.ForeignKey(SemesterInstance, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField("nom", max_length=30)
    kind = models.CharField("type", max_length=2, choices=Kind.choices, default=Kind.TD)

    class Meta:
        verbose_name = "groupe"
        verbose_name_plural = "groupes"
        ordering = ["semester_instance", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["semester_instance", "name"], name="group_unique_name"),
        ]

    def __str__(self):
        """Name it as people do: "TD A" for a TD named A, "TD1" or "TP 2" as it is (the name says its kind)."""
        return self.name if GROUP_PREFIX_RE.match(self.name) else f"{self.kind} {self.name}"


class Enrolment(models.Model):
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="enrolments",
                                verbose_name="étudiant")
    semester_instance = models.ForeignKey(SemesterInstance, on_delete=models.PROTECT, related_name="enrolments",
                                          verbose_name="semestre")
    parcours = models.ForeignKey(Parcours, on_delete=models.PROTECT, null=True, blank=True,
                                 verbose_name="parcours")
    status = models.CharField("statut", max_length=10, choices=EnrolmentStatus.choices(),
                              default=EnrolmentStatus.ENROLLED)
    is_repeat = models.BooleanField("redoublement", default=False)
    groups = models.ManyToManyField(Group, blank=True, related_name="enrolments", verbose_name="groupes")

    class Meta:
        verbose_name = "inscription"
        verbose_name_plural = "inscriptions"
        ordering = ["semester_instance", "student"]
        constraints = [
            models.UniqueConstraint(fields=["student", "semester_instance"], name="enrolment_unique"),
        ]

    def __str__(self):
        return f"{self.student} – {self.semester_instance}"


class Bonus(models.Model):
    """A semester bonus in per cent (R5), for sport, culture or association work."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="bonus",
                                     verbose_name="inscription")
    percent = models.DecimalField("bonus (%)", max_digits=4, decimal_places=2)
    reason = models.CharField("motif", max_length=200, blank=True)

    class Meta:
        verbose_name = "bonus"
        verbose_name_plural = "bonus"
        constraints = [
            models.CheckConstraint(condition=Q(percent__gte=Decimal("0.25"), percent__lte=Decimal("5")),
                                   name="bonus_percent_0_25_to_5"),
        ]

    def __str__(self):
        return f"{self.percent} % – {self.enrolment}"


class ModuleResponsible(models.Model):
    semester_instance = models.ForeignKey(SemesterInstance, on_delete=models.CASCADE,
                                          related_name="module_responsibles")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="responsibles",
                               verbose_name="module")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="module_responsibilities", verbose_name="enseignant")

    class Meta:
        verbose_name = "responsable de module"
        verbose_name_plural = "responsables de module"
        constraints = [
            models.UniqueConstraint(fields=["semester_instance", "module", "user"],
                                    name="module_responsible_unique"),
        ]

    def __str__(self):
        return f"{self.module.code} – {self.user}"


class Evaluation(models.Model):
    semester_instance = models.ForeignKey(SemesterInstance, on_delete=models.CASCADE, related_name="evaluations",
                                          verbose_name="semestre")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="evaluations",
                               verbose_name="module")
    title = models.CharField("intitulé", max_length=200)
    date = models.DateField("date", null=True, blank=True)
    coefficient = models.DecimalField("coefficient", max_digits=6, decimal_places=2, default=Decimal("1"))
    max_score = models.DecimalField("note maximale", max_digits=6, decimal_places=2, default=Decimal("20"))
    is_immediate = models.BooleanField("prise en compte immédiate", default=False)
    is_rattrapage = models.BooleanField("rattrapage", default=False)
    order = models.PositiveSmallIntegerField("ordre", default=0)
    is_published = models.BooleanField("publiée", default=False,
                                       help_text="Ses notes sont visibles des étudiants.")

    class Meta:
        verbose_name = "évaluation"
        verbose_name_plural = "évaluations"
        ordering = ["semester_instance", "module__code", "order", "date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(coefficient__gte=0), name="evaluation_coefficient_non_negative"),
            models.CheckConstraint(condition=Q(max_score__gt=0), name="evaluation_max_score_positive"),
        ]

    def __str__(self):
        return f"{self.module.code} – {self.title}"


class EvaluationWeight(models.Model):
    """Weight of an evaluation towards one UE of its module (R3); absent means 1."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="weights")
    ue = models.ForeignKey(UE, on_delete=models.CASCADE, related_name="evaluation_weights", verbose_name="UE")
    weight = models.DecimalField("poids", max_digits=6, decimal_places=2, default=Decimal("1"))

    class Meta:
        verbose_name = "poids d'évaluation vers une UE"
        verbose_name_plural = "poids d'évaluation vers les UE"
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "ue"], name="evaluation_weight_unique"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="evaluation_weight_non_negative"),
        ]

    def __str__(self):
        return f"{self.evaluation} → {self.ue.code} : {self.weight}"


class Grade(models.Model):
    """A grade (a number from 0 to the evaluation's maximum) or a code (ABS, EXC, ATT).

    `max_score` is the evaluation's maximum, copied by the service so the database itself can
    check the range; `version` supports the optimistic concurrency check of the grid.
    """

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="grades")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="grades")
    value = models.DecimalField("note", max_digits=6, decimal_places=2, null=True, blank=True)
    code = models.CharField("code", max_length=3, choices=GradeCode.choices(), blank=True)
    max_score = models.DecimalField("note maximale", max_digits=6, decimal_places=2, default=Decimal("20"))
    version = models.PositiveIntegerField("version", default=1)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="modifiée par")

    class Meta:
        verbose_name = "note"
        verbose_name_plural = "notes"
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "enrolment"], name="grade_unique"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0, value__lte=F("max_score")),
                name="grade_value_between_0_and_max",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(code=""),
                name="grade_value_or_code",
            ),
        ]

    def __str__(self):
        return self.display

    @property
    def display(self) -> str:
        return grade_display(value=self.value, code=self.code)


class ImportBatch(models.Model):
    """One spreadsheet import: its grade changes can be undone together."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="imports")
    filename = models.CharField("fichier", max_length=250)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name="par")
    at = models.DateTimeField("le", auto_now_add=True)
    undone_at = models.DateTimeField("annulé le", null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name="annulé par")

    class Meta:
        verbose_name = "import de notes"
        verbose_name_plural = "imports de notes"
        ordering = ["-at"]

    def __str__(self):
        return f"{self.filename} ({paris_datetime(self.at)})"


class GradeChange(models.Model):
    """Audit row: every grade change, who, when, old and new value, and how."""

    class Source(models.TextChoices):
        GRID = "grid", "Grille"
        IMPORT = "import", "Import"
        ADMIN = "admin", "Administration"
        UNDO = "undo", "Annulation d'import"
        SCRIPT = "script", "Script"
        MISSING = "missing", "Notes manquantes complétées"
        LATE_ENROLMENT = "late", "Inscription tardive"

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="grade_changes")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="grade_changes")
    old_value = models.CharField("ancienne valeur", max_length=12, blank=True)
    new_value = models.CharField("nouvelle valeur", max_length=12, blank=True)
    source = models.CharField("origine", max_length=10, choices=Source.choices)
    batch = models.ForeignKey(ImportBatch, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="changes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name="par")
    at = models.DateTimeField("le", auto_now_add=True)
    reason = models.TextField("motif", blank=True)

    class Meta:
        verbose_name = "modification de note"
        verbose_name_plural = "historique des notes"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.old_value or '∅'} → {self.new_value or '∅'}"


class JuryDecision(models.Model):
    """A decision recorded by a jury on a UE, an RCUE or a year (R16, R19).

    Never changed: a new decision on the same subject supersedes the previous one, which stays.
    """

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="jury_decisions",
                                  verbose_name="inscription")
    level = models.CharField("niveau", max_length=5, choices=JuryLevel.choices())
    subject = models.CharField("objet", max_length=20, help_text="Code d'UE, clé de RCUE (C1-2) ou année (2).")
    code = models.CharField("code", max_length=8, choices=DecisionCode.choices())
    reason = models.TextField("motif", blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name="signée par")
    at = models.DateTimeField("le", auto_now_add=True)
    supersedes = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="superseded_by", verbose_name="remplace")
    session = models.ForeignKey("JurySession", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="decisions", verbose_name="jury")

    class Meta:
        verbose_name = "décision de jury"
        verbose_name_plural = "décisions de jury"
        ordering = ["enrolment", "level", "subject", "-at"]

    def __str__(self):
        return f"{self.subject} : {self.code}"


class ExternalValidation(models.Model):
    """A UE validated outside this application's grades (earlier path, another IUT, VAE)."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="external_validations",
                                verbose_name="étudiant")
    ue = models.ForeignKey(UE, on_delete=models.PROTECT, related_name="external_validations", verbose_name="UE")
    code = models.CharField("code", max_length=8, choices=DecisionCode.choices())
    average = models.DecimalField("moyenne", max_digits=5, decimal_places=3, null=True, blank=True)
    origin = models.CharField("origine", max_length=200, blank=True)
    date = models.DateField("date", null=True, blank=True)

    class Meta:
        verbose_name = "validation externe"
        verbose_name_plural = "validations externes"
        constraints = [
            models.UniqueConstraint(fields=["student", "ue"], name="external_validation_unique"),
            models.CheckConstraint(condition=Q(average__isnull=True) | Q(average__gte=0, average__lte=20),
                                   name="external_validation_average_0_to_20"),
        ]

    def __str__(self):
        return f"{self.student} – {self.ue.code} : {self.code}"


class JurySession(models.Model):
    """A jury sitting: its date, president and members, and the semester instances it decides (R13, R16, R19).

    Closing it locks those semesters; only Direction reopens it, with a reason. Its decisions become visible
    to students once staff publish them.
    """

    semester_instances = models.ManyToManyField(SemesterInstance, related_name="jury_sessions",
                                                verbose_name="semestres décidés")
    date = models.DateField("date du jury")
    president = models.CharField("président(e)", max_length=200)
    members = models.TextField("membres", blank=True, help_text="Un nom par ligne.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="créé par")
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    closed_at = models.DateTimeField("clos le", null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name="clos par")
    published_at = models.DateTimeField("décisions publiées le", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name="publiées par")

    class Meta:
        verbose_name = "jury"
        verbose_name_plural = "jurys"
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"Jury du {self.date:%d/%m/%Y}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class JurySessionEvent(models.Model):
    """Each closing, reopening and publication of a jury: who, when and why (R19)."""

    class Action(models.TextChoices):
        CLOSE = "close", "Clôture"
        REOPEN = "reopen", "Réouverture"
        PUBLISH = "publish", "Publication"

    session = models.ForeignKey(JurySession, on_delete=models.PROTECT, related_name="events", verbose_name="jury")
    action = models.CharField("action", max_length=10, choices=Action.choices)
    reason = models.TextField("motif", blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name="par")
    at = models.DateTimeField("le", auto_now_add=True)

    class Meta:
        verbose_name = "événement de jury"
        verbose_name_plural = "événements de jury"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_action_display()} – {self.session} ({self.at:%d/%m/%Y %H:%M})"


class AuditEntry(models.Model):
    """Journal of changes other than grades (enrolments, students, evaluations, bonuses, groups…).

    One row per changed field: who, when, what object, old and new value, from where, and why. Rows written
    by one action share a `batch` key, so an import of a student list can be shown and undone as one step.
    """

    class Source(models.TextChoices):
        APP = "app", "Application"
        IMPORT = "import", "Import"
        ADMIN = "admin", "Administration"
        UNDO = "undo", "Annulation"
        SCRIPT = "script", "Script"

    at = models.DateTimeField("le", auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name="par")
    source = models.CharField("origine", max_length=10, choices=Source.choices, default=Source.APP)
    object_type = models.CharField("type d'objet", max_length=40)  # model label, e.g. "grading.enrolment"
    object_id = models.PositiveBigIntegerField("identifiant")
    object_repr = models.CharField("objet", max_length=250)
    action = models.CharField("action", max_length=10)  # create, update, delete
    field = models.CharField("champ", max_length=60, blank=True)
    old_value = models.TextField("ancienne valeur", blank=True)
    new_value = models.TextField("nouvelle valeur", blank=True)
    reason = models.TextField("motif", blank=True)
    batch = models.CharField("lot", max_length=40, blank=True, db_index=True)

    class Meta:
        verbose_name = "modification enregistrée"
        verbose_name_plural = "journal des modifications"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self):
        return f"{self.object_repr} · {self.field or self.action} : {self.old_value or '∅'} → {self.new_value or '∅'}"


class BulletinBatch(models.Model):
    """The bulletins of a whole semester as one PDF, built by a background task (django-tasks)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "En attente"
        RUNNING = "running", "En cours"
        DONE = "done", "Terminé"
        FAILED = "failed", "Échec"

    semester_instance = models.ForeignKey(SemesterInstance, on_delete=models.CASCADE,
                                          related_name="bulletin_batches", verbose_name="semestre")
    draft = models.BooleanField("document de travail (notes non publiées comprises)", default=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="demandé par")
    requested_at = models.DateTimeField("demandé le", auto_now_add=True)
    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField("bulletins à produire", default=0)
    done = models.PositiveIntegerField("bulletins produits", default=0)
    pdf = models.BinaryField("PDF", null=True, blank=True, editable=False)
    error = models.TextField("erreur", blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)

    class Meta:
        verbose_name = "lot de bulletins"
        verbose_name_plural = "lots de bulletins"
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"Bulletins {self.semester_instance} ({self.requested_at:%d/%m/%Y %H:%M})"

    @property
    def percent(self) -> int:
        return 100 if self.status == self.Status.DONE else (100 * self.done // self.total if self.total else 0)
