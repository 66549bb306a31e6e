"""Run the background worker with leases, reclaim, retries and reconnection (butgmp/worker.py).

Same options as django-tasks-db's `db_worker`; e.g. `python manage.py run_worker --queue-name email`.
"""
from django_tasks_db.management.commands import db_worker

from butgmp.worker import LeasingWorker


class Command(db_worker.Command):
    help = "Run a background worker (leases, reclaim of dead workers' tasks, retries, reconnection, purges)"

    def handle(self, *, verbosity: int, queue_name: str, interval: float, batch: bool, backend_name: str,
               startup_delay: bool, reload: bool, max_tasks: int | None, worker_id: str, **options) -> None:
        self.configure_logging(verbosity)
        worker = LeasingWorker(queue_names=queue_name.split(","), interval=interval, batch=batch,
                               backend_name=backend_name, startup_delay=startup_delay, max_tasks=max_tasks,
                               worker_id=worker_id)
        worker.configure_signals()
        worker.run()
