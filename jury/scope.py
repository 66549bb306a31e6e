"""What a jury report covers: one semester instance (odd-semester jury, R13) or a year's two (R16)."""
from dataclasses import dataclass

from curriculum.models import Programme
from grading.models import AcademicYear, JurySession, SemesterInstance
from grading.naming import jury_label, promotion_label

YEAR_KIND = "annee"
SEMESTER_KIND = "semestre"
INSTANCE_RELATED = ("semester__programme__parcours", "semester__programme__speciality", "academic_year")


@dataclass(frozen=True)
class Scope:
    """The semester instances of one report, odd semester first."""

    instances: tuple[SemesterInstance, ...]
    is_year: bool

    @property
    def kind(self) -> str:
        """The report's kind in URLs: a year or a semester."""
        return YEAR_KIND if self.is_year else SEMESTER_KIND

    @property
    def url_args(self) -> list:
        return [self.kind, self.first.pk]

    @property
    def first(self) -> SemesterInstance:
        return self.instances[0]

    @property
    def ids(self) -> list[int]:
        return [i.pk for i in self.instances]

    @property
    def programme(self) -> Programme:
        return self.first.semester.programme

    @property
    def academic_year(self) -> AcademicYear:
        return self.first.academic_year

    @property
    def year(self) -> int:
        """The BUT year (1, 2 or 3)."""
        return self.first.semester.year

    @property
    def numbers(self) -> list[int]:
        return [i.semester.number for i in self.instances]

    @property
    def decides_year(self) -> bool:
        """Tell whether this jury decides the year (it holds the even semester, R16) or UEs only (R13)."""
        return any(n % 2 == 0 for n in self.numbers)

    @property
    def even(self) -> SemesterInstance | None:
        return next((i for i in self.instances if i.semester.number % 2 == 0), None)

    @property
    def title(self) -> str:
        label = f" {self.first.label}" if self.first.label else ""
        semesters = "–".join(f"S{n}" for n in self.numbers)
        return f"{semesters}{label} · {self.programme.code} · {self.academic_year}"

    @property
    def crumb(self) -> str:
        """« S3–S4 · BUT2 MPI alternance — Dijon-Auxerre — 2026-2027 », where the pages say which report they are."""
        return f"{'–'.join(f'S{n}' for n in self.numbers)} · {self.label}"

    @property
    def label(self) -> str:
        """« BUT2 MPI alternance — Dijon-Auxerre — 2026-2027 » (the promotion as people name it)."""
        return promotion_label(self.instances)

    @property
    def period(self) -> str:
        """The year or semester in words, for the PV and the letters."""
        if self.is_year:
            return f"BUT {self.year} ({' et '.join(f'semestre {n}' for n in self.numbers)})"
        return f"semestre {self.numbers[0]}"


def scope_for(instance: SemesterInstance, *, year: bool) -> Scope:
    """Return the scope of a report on one instance, or on its year (the instance and its partner semester)."""
    if not year:
        return Scope(instances=(instance,), is_year=False)
    number = instance.semester.number
    partner_number = number + 1 if number % 2 else number - 1
    partner = (SemesterInstance.objects.select_related(*INSTANCE_RELATED)
               .filter(semester__programme_id=instance.semester.programme_id, semester__number=partner_number,
                       academic_year_id=instance.academic_year_id, label=instance.label).first())
    instances = sorted([i for i in (instance, partner) if i is not None], key=lambda i: i.semester.number)
    return Scope(instances=tuple(instances), is_year=True)


def scope_of_session(session: JurySession) -> Scope:
    """Return the scope a jury session decides."""
    instances = sorted(session.semester_instances.select_related(*INSTANCE_RELATED),
                       key=lambda i: i.semester.number)
    return Scope(instances=tuple(instances), is_year=len(instances) > 1)


def sessions_of(scope: Scope) -> list[JurySession]:
    """Return the jury sessions deciding exactly this scope's instances, the latest first."""
    wanted = set(scope.ids)
    candidates = (JurySession.objects.filter(semester_instances=scope.first)
                  .prefetch_related("semester_instances").order_by("-date", "-id"))
    return [s for s in candidates if {i.pk for i in s.semester_instances.all()} == wanted]


@dataclass
class Promotion:
    """One year of a programme in an academic year: its semester instances and its juries."""

    instances: list[SemesterInstance]
    sessions: list[JurySession]

    @property
    def label(self) -> str:
        """« BUT2 MPI alternance — Dijon-Auxerre — 2026-2027 »."""
        return promotion_label(self.instances)

    @property
    def labelled_sessions(self) -> list[tuple[JurySession, str]]:
        """Each jury with its name (« … — jury du 24/06/2027 »), from the instances already read."""
        labelled = []
        for session in self.sessions:
            ids = {i.pk for i in session.semester_instances.all()}
            labelled.append((session, jury_label(session, [i for i in self.instances if i.pk in ids])))
        return labelled

    @property
    def year_scope(self) -> Scope:
        return Scope(instances=tuple(self.instances), is_year=True)

    @property
    def semester_scopes(self) -> list[Scope]:
        return [Scope(instances=(i,), is_year=False) for i in self.instances]


def promotions() -> list[Promotion]:
    """Return every promotion year with its instances and juries, the latest academic year first (3 queries)."""
    instances = SemesterInstance.objects.select_related(*INSTANCE_RELATED).order_by(
        "-academic_year__start_year", "semester__programme__code", "label", "semester__number")
    grouped: dict[tuple, list[SemesterInstance]] = {}
    for instance in instances:
        key = (instance.academic_year_id, instance.semester.programme_id, instance.label, instance.semester.year)
        grouped.setdefault(key, []).append(instance)
    sessions_by_instance: dict[int, list[JurySession]] = {}
    for session in JurySession.objects.prefetch_related("semester_instances").order_by("-date", "-id"):
        for instance in session.semester_instances.all():
            sessions_by_instance.setdefault(instance.pk, []).append(session)
    found = []
    for members in grouped.values():
        sessions = list({s.pk: s for i in members for s in sessions_by_instance.get(i.pk, [])}.values())
        found.append(Promotion(instances=members, sessions=sessions))
    return found
