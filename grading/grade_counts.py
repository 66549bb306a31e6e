"""R2 counts of semester instances, for pages about a few students: cached, keyed by the instance's version.

Whether an ordinary evaluation counts (R2) depends on every enrolled student's grades. A page about 25 students (a
group grid) or one (a student's own page) should not load everyone's grades for that: it reads two aggregate
counts instead (enrolled students per parcours; of them, those with a grade entered, per evaluation and parcours)
and `grading.engine.waiting.r2_complete_from_counts` decides from them.

Cache: one entry per semester instance and results version, `grading:r2:v1:<instance id>:<results_version>`
(`grading.cache_versions` says what bumps the version). Only counts are cached, never an average; the evaluations, their
flags and the programme are read fresh by every page. The version is read before the counts, so an entry is never
older than its key.
"""
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q

from grading.cache_versions import CACHE_FORMAT, CACHE_TIMEOUT
from grading.engine.codes import EnrolmentStatus
from grading.models import Enrolment, Grade


@dataclass(frozen=True)
class R2Counts:
    """Enrolled students of one instance per parcours, and per evaluation how many of them have a grade entered."""

    enrolled: Mapping[str | None, int]
    entered: Mapping[int, Mapping[str | None, int]]


def cache_key(instance_id: int, version: int) -> str:
    return f"grading:r2:{CACHE_FORMAT}:{instance_id}:{version}"


def instance_counts(instances: Mapping[int, tuple[int, str | None]]) -> dict[int, R2Counts]:
    """Return the R2 counts of instances given as id -> (results_version, programme parcours code).

    Cached entries cost no query; the missing ones cost two aggregate queries together.
    """
    keys = {instance_id: cache_key(instance_id, version) for instance_id, (version, _) in instances.items()}
    found = cache.get_many(list(keys.values())) if keys else {}
    counts = {instance_id: found[key] for instance_id, key in keys.items() if key in found}
    missing = {instance_id: instances[instance_id][1] for instance_id in keys if instance_id not in counts}
    if missing:
        computed = _count(missing)
        cache.set_many({keys[i]: c for i, c in computed.items()}, timeout=CACHE_TIMEOUT)
        counts.update(computed)
    return counts


def _count(instances: Mapping[int, str | None]) -> dict[int, R2Counts]:
    """Count in the database: an enrolment without a parcours follows its programme's (the given code)."""
    enrolled: dict[int, Counter] = defaultdict(Counter)
    for instance_id, parcours, n in (
        Enrolment.objects.filter(semester_instance_id__in=list(instances), status=EnrolmentStatus.ENROLLED)
        .values_list("semester_instance_id", "parcours__code").annotate(n=Count("id")).order_by()
    ):
        enrolled[instance_id][parcours or instances[instance_id]] += n
    entered: dict[int, dict[int, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for instance_id, evaluation_id, parcours, n in (
        Grade.objects.filter(enrolment__semester_instance_id__in=list(instances),
                             enrolment__status=EnrolmentStatus.ENROLLED)
        .filter(Q(value__isnull=False) | ~Q(code=""))
        .values_list("enrolment__semester_instance_id", "evaluation_id", "enrolment__parcours__code")
        .annotate(n=Count("id")).order_by()
    ):
        entered[instance_id][evaluation_id][parcours or instances[instance_id]] += n
    return {i: R2Counts(enrolled=dict(enrolled[i]), entered={e: dict(c) for e, c in entered[i].items()})
            for i in instances}
