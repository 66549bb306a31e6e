"""Results versions of semester instances: the keys of what the pages cache, and everything that bumps them.

Pages cache two computed things, never stored averages: the R2 counts of an instance (`grading.grade_counts`)
and the live results of a whole instance (`grading.selectors.live_results`). Both sit in Django's cache framework
(the default local-memory cache unless settings.CACHES says otherwise) under keys made of
`SemesterInstance.results_version`: a bumped version is a new key, so an entry is never read after a change,
whichever worker process cached it, and the old one simply expires. A bump draws a new random version rather than
adding one, so that a change rolled back after something was cached under its version never hands that version
to a later change (`new_version`). A result about whole instances (a semester's live results, a jury's report)
depends on its students' paths too: `cached_for_paths` keys it by the versions of every instance they followed.

What bumps a version, in the database, in the transaction of the change (a rolled-back change rolls it back):
- every service write to an instance's grades, evaluations, enrolments, groups or responsibles, through
  `grading.services.errors.ensure_unlocked` (the UPDATE that also locks the instance's row): bulk writes included;
- model writes made outside those services, by the signals below: the admin's edits of enrolments, bonuses,
  evaluations and their weights, jury decisions (recorded by `jury.decisions`, or the admin), external
  validations (every instance of the student), and any change of the programmes (UEs, modules, coefficients,
  competences, parcours: the fixture loader and the admin), which bumps every instance. Signals are used there
  because those writes do not go through the grade services; a service that bumps already is bumped once more,
  which costs one UPDATE and is harmless.
"""
import hashlib
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from curriculum.models import UE, Competence, CompetenceLevel, Module, ModuleUE, Parcours, Programme, Semester
from grading.models import (
    Bonus,
    Enrolment,
    Evaluation,
    EvaluationWeight,
    ExternalValidation,
    JuryDecision,
    SemesterInstance,
    random_results_version,
)

CACHE_TIMEOUT = 24 * 3600  # seconds; an entry whose version is gone is never read anyway
CACHE_FORMAT = "v4"  # in every key: change it when what is cached changes shape (a shared cache outlives a deploy)

T = TypeVar("T")


def paths_key(name: str, instance_ids: Iterable[int]) -> str:
    """Return the cache key of a result about whole instances: their ids and the results version of every instance
    their students followed (earlier semesters, the other semester of the year), read in one query."""
    ids = sorted(set(instance_ids))
    versions = (SemesterInstance.objects.filter(enrolments__student__enrolments__semester_instance__in=ids)
                .distinct().order_by("pk").values_list("pk", "results_version"))
    digest = hashlib.sha256(repr(list(versions)).encode()).hexdigest()[:32]
    return f"grading:{name}:{CACHE_FORMAT}:{'-'.join(map(str, ids))}:{digest}"


def cached_for_paths(name: str, instance_ids: Iterable[int], compute: Callable[[], T],
                     keep: Callable[[T], bool] = lambda value: True) -> T:
    """Return the cached result `name` about whole instances, or compute it (and cache it when `keep` says so).

    One entry per result and instances: the previous version's (never read again) goes, a large semester's is big.
    """
    ids = sorted(set(instance_ids))
    key = paths_key(name, ids)
    value = cache.get(key)
    if value is None:
        value = compute()
        if keep(value):
            latest = f"grading:{name}:{CACHE_FORMAT}:{'-'.join(map(str, ids))}:latest"
            previous = cache.get(latest)
            if previous not in (None, key):
                cache.delete(previous)
            cache.set_many({key: value, latest: key}, CACHE_TIMEOUT)
    return value


def new_version() -> int:
    """Return a new results version: random, never the old one plus one. A change rolled back after something was
    cached under its version must not hand that version to the next change (which would read the rolled-back
    state from the cache); a random 48-bit value is never handed out twice in practice."""
    return random_results_version()


def bump(*instance_ids: int) -> None:
    """Give instances a new results version (what was cached for them is never read again)."""
    SemesterInstance.objects.filter(pk__in=instance_ids).update(results_version=new_version())


def bump_all(*, unlocked_only: bool = False) -> None:
    """Give every instance (or every open one) a new results version (a programme or a department rule changed)."""
    instances = SemesterInstance.objects.filter(is_locked=False) if unlocked_only else SemesterInstance.objects
    instances.update(results_version=new_version())


def bump_student(student_id: int, *, unlocked_only: bool = False) -> None:
    """Give every instance (or every open one) a student is enrolled in a new results version."""
    instances = SemesterInstance.objects.filter(enrolments__student_id=student_id)
    (instances.filter(is_locked=False) if unlocked_only else instances).update(results_version=new_version())


# ---------------------------------------------------------------- signals: writes outside the grade services

CHANGED = [post_save, post_delete]


@receiver(CHANGED, sender=Enrolment, dispatch_uid="grading.cache_versions.enrolment")
@receiver(CHANGED, sender=Evaluation, dispatch_uid="grading.cache_versions.evaluation")
def instance_row_changed(sender, instance, **kwargs) -> None:
    bump(instance.semester_instance_id)


@receiver(CHANGED, sender=EvaluationWeight, dispatch_uid="grading.cache_versions.weight")
def weight_changed(sender, instance: EvaluationWeight, **kwargs) -> None:
    SemesterInstance.objects.filter(evaluations=instance.evaluation_id).update(
        results_version=new_version())


@receiver(CHANGED, sender=Bonus, dispatch_uid="grading.cache_versions.bonus")
@receiver(CHANGED, sender=JuryDecision, dispatch_uid="grading.cache_versions.decision")
def enrolment_row_changed(sender, instance, **kwargs) -> None:
    SemesterInstance.objects.filter(enrolments=instance.enrolment_id).update(
        results_version=new_version())


@receiver(CHANGED, sender=ExternalValidation, dispatch_uid="grading.cache_versions.validation")
def validation_changed(sender, instance: ExternalValidation, **kwargs) -> None:
    bump_student(instance.student_id)


PROGRAMME_MODELS = (Programme, Semester, UE, Module, ModuleUE, Competence, CompetenceLevel, Parcours)


def programme_changed(sender, action: str = "post_save", **kwargs) -> None:
    if action.startswith("post_"):  # m2m_changed announces pre_add, post_add…: once is enough
        bump_all()


for model in PROGRAMME_MODELS:
    for signal in CHANGED:
        signal.connect(programme_changed, sender=model, dispatch_uid=f"grading.cache_versions.{model.__name__}")
m2m_changed.connect(programme_changed, sender=UE.parcours.through, dispatch_uid="grading.cache_versions.ue_parcours")
