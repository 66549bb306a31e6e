"""The imports of results from before, as their page lists them (to show and undo)."""
from django.db.models import Count, Max, Q

from grading.models import AuditEntry

BATCH_PREFIX = "resultats-anterieurs"  # the journal batch key of an import of results from before starts so
FIELD = "validation"  # the field its journal rows name


def past_results_batches(limit: int = 20) -> list[dict]:
    """Return the latest imports (batch, when, by whom, how many validations, undone or not), newest first."""
    rows = (AuditEntry.objects.filter(batch__startswith=BATCH_PREFIX + "-", field=FIELD).values("batch")
            .annotate(at=Max("at"), count=Count("id", filter=Q(source=AuditEntry.Source.IMPORT)),
                      undone=Count("id", filter=Q(source=AuditEntry.Source.UNDO)), reason=Max("reason"),
                      user=Max("user__username")).order_by("-at")[:limit])
    return list(rows)
