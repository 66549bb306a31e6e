"""List the background tasks needing a look (failed, running past their lease, waiting long overdue), as JSON."""
import json

from django.core.management.base import BaseCommand

from butgmp.worker import tasks_stuck_or_failed


class Command(BaseCommand):
    help = "List failed and stuck background tasks (JSON on stdout)"

    def handle(self, **options) -> None:
        rows = [{"id": str(row.pk), "task": row.task_path, "queue": row.queue_name, "status": row.status,
                 "attempts": len(row.worker_ids), "workers": row.worker_ids,
                 "enqueued_at": row.enqueued_at.isoformat(),
                 "started_at": row.started_at.isoformat() if row.started_at else None,
                 "error": row.exception_class_path or None}
                for row in tasks_stuck_or_failed()]
        self.stdout.write(json.dumps({"tasks": rows}, ensure_ascii=False, indent=2))
