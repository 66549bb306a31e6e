"""The imports of results from before, as their page lists them (to show and undo)."""
from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Q

from butgmp.people import person_name
from grading.models import AuditEntry

BATCH_PREFIX = "resultats-anterieurs"  # the journal batch key of an import of results from before starts so
FIELD = "validation"  # the field its journal rows name


def past_results_batches(limit: int = 20) -> list[dict]:
    """Return the latest imports (batch, when, by whom: their name, how many validations, undone or not), newest
    first."""
    rows = list(AuditEntry.objects.filter(batch__startswith=BATCH_PREFIX + "-", field=FIELD).values("batch")
                .annotate(at=Max("at"), count=Count("id", filter=Q(source=AuditEntry.Source.IMPORT)),
                          undone=Count("id", filter=Q(source=AuditEntry.Source.UNDO)),
                          reason=Max("reason", filter=Q(source=AuditEntry.Source.IMPORT)),
                          user_id=Max("user_id", filter=Q(source=AuditEntry.Source.IMPORT))).order_by("-at")[:limit])
    users = get_user_model().objects.in_bulk([r["user_id"] for r in rows if r["user_id"]])
    return [{**row, "user": person_name(users.get(row["user_id"]))} for row in rows]
