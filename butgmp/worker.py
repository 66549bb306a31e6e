"""The background worker: django-tasks-db's queue table with what it lacks for production (README, « Background
worker »): a lease on every running task, kept by a heartbeat; reclaim of a task whose worker died; bounded retries
of transient failures (database, SMTP); reconnection when the database goes away; periodic jobs (reclaim, purges).

The lease lives in the running row's `run_after` column, which django-tasks-db reads only for READY rows: while a
task runs, `run_after` is the time its lease expires. A RUNNING row whose lease has expired belongs to a dead worker.
Each claim appends the worker's id to `worker_ids`, so their number is the number of attempts.
"""
import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from smtplib import SMTPException

from django.conf import settings
from django.db import close_old_connections, connection, connections, transaction
from django.db.models import Q
from django.db.utils import InterfaceError, OperationalError
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, get_date_max
from django_tasks_db.utils import exclusive_transaction

logger = logging.getLogger("butgmp.worker")

DATABASE_DOWN = (OperationalError, InterfaceError)
# A task failing with one of these is tried again later (bounded); any other failure is final.
TRANSIENT = (OperationalError, InterfaceError, SMTPException, ConnectionError, TimeoutError)
WORKER_LOST = "butgmp.worker.WorkerLost"
GIVE_UP_HOOKS: dict[str, Callable[..., None]] = {}


class WorkerLost(Exception):
    """The worker running the task stopped (killed, machine down) as many times as attempts are allowed."""


def on_give_up(task) -> Callable:
    """Register what to do when a task is given up (its last attempt lost or failed transiently): called with the
    task's keyword arguments, e.g. to mark a batch failed so that its page says so and offers to start again."""
    def register(function: Callable[..., None]) -> Callable[..., None]:
        GIVE_UP_HOOKS[task.module_path] = function
        return function
    return register


def lease_seconds() -> int:
    return settings.TASK_LEASE_SECONDS


def _retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(300, 5 * 2 ** max(0, attempts - 1)))


def task_requeue_or_fail(*, row: DBTaskResult, reason: str) -> str:
    """Put a task back in the queue (after a delay growing with its attempts), or fail it for good once it has had
    TASK_MAX_ATTEMPTS attempts, calling its give-up hook. Return the new status."""
    now = timezone.now()
    if len(row.worker_ids) < settings.TASK_MAX_ATTEMPTS:
        DBTaskResult.objects.filter(pk=row.pk).update(status=TaskResultStatus.READY, started_at=None,
                                                      run_after=now + _retry_delay(len(row.worker_ids)))
        logger.warning("Task %s (%s) queued again: %s", row.pk, row.task_path, reason)
        return TaskResultStatus.READY
    DBTaskResult.objects.filter(pk=row.pk).update(
        status=TaskResultStatus.FAILED, finished_at=now, exception_class_path=row.exception_class_path or WORKER_LOST,
        traceback=row.traceback or f"{reason} ({len(row.worker_ids)} tentatives)")
    logger.error("Task %s (%s) given up after %d attempts: %s", row.pk, row.task_path, len(row.worker_ids), reason)
    hook = GIVE_UP_HOOKS.get(row.task_path)
    if hook is None:
        try:  # importing the task's module registers its hook
            import_string(row.task_path)
        except ImportError:
            pass
        hook = GIVE_UP_HOOKS.get(row.task_path)
    if hook is not None:
        hook(**row.args_kwargs.get("kwargs", {}))
    return TaskResultStatus.FAILED


def tasks_reclaim() -> int:
    """Queue again (or fail) every running task whose lease has expired: its worker died. Return how many."""
    now = timezone.now()
    expired = Q(run_after__lt=now) | Q(run_after=get_date_max(), started_at__lt=now - timedelta(
        seconds=lease_seconds()))  # claimed by a worker without leases (django-tasks-db's own db_worker)
    count = 0
    with transaction.atomic():
        for row in DBTaskResult.objects.running().filter(expired).select_for_update(skip_locked=True):
            task_requeue_or_fail(row=row, reason="worker perdu (bail expiré)")
            count += 1
    return count


def tasks_stuck_or_failed() -> list[DBTaskResult]:
    """Return the tasks needing a look: failed ones, running ones past their lease, ready ones long overdue."""
    now = timezone.now()
    overdue = now - timedelta(seconds=10 * lease_seconds())
    return list(DBTaskResult.objects.filter(
        Q(status=TaskResultStatus.FAILED)
        | Q(status=TaskResultStatus.RUNNING, run_after__lt=now)
        | Q(status=TaskResultStatus.READY, enqueued_at__lt=overdue, run_after__lt=overdue)
        | Q(status=TaskResultStatus.READY, enqueued_at__lt=overdue, run_after=get_date_max())
    ).order_by("enqueued_at"))


class Heartbeat(threading.Thread):
    """Extend a running task's lease every third of it, on the thread's own database connection."""

    def __init__(self, task_id):
        super().__init__(daemon=True, name=f"heartbeat-{task_id}")
        self.task_id = task_id
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(lease_seconds() / 3):
                try:
                    DBTaskResult.objects.filter(pk=self.task_id, status=TaskResultStatus.RUNNING).update(
                        run_after=timezone.now() + timedelta(seconds=lease_seconds()))
                except DATABASE_DOWN:
                    logger.warning("Heartbeat of task %s: database unreachable", self.task_id)
                    connection.close()
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join()


class LeasingWorker(Worker):
    """django-tasks-db's worker, claiming with a lease, surviving database outages and running periodic jobs."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.current = None
        self.next_reclaim = 0.0
        self.next_purge = 0.0

    def run(self) -> None:
        logger.info("Starting worker %s on queues %s", self.worker_id, ",".join(self.queue_names))
        while self.running:
            try:
                self.periodic()
                row = self.claim_next()
                if row is not None:
                    self.run_task(row)
            except DATABASE_DOWN as exc:
                self.wait_for_database(exc)
                continue
            if row is None and self.batch:
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            close_old_connections()
            if self.running and row is None:
                time.sleep(self.interval)

    def claim_next(self) -> DBTaskResult | None:
        """Lock the next ready task, claim it and set its lease, in one transaction."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        with exclusive_transaction(tasks.db):
            row = tasks.get_locked()
            if row is not None:
                row.claim(self.worker_id)
                row.run_after = timezone.now() + timedelta(seconds=lease_seconds())
                DBTaskResult.objects.filter(pk=row.pk).update(run_after=row.run_after)
        return row

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run the task under a heartbeat; a transient failure is queued again rather than final."""
        self.current = db_task_result
        heartbeat = Heartbeat(db_task_result.pk)
        heartbeat.start()
        try:
            super().run_task(db_task_result)
        finally:
            heartbeat.stop()
        if db_task_result.status == TaskResultStatus.FAILED and _is_transient(db_task_result.exception_class_path):
            task_requeue_or_fail(row=db_task_result, reason=db_task_result.exception_class_path)
        self.current = None

    def periodic(self) -> None:
        """Reclaim dead workers' tasks every half lease; run the purges every PURGE_INTERVAL seconds."""
        now = time.monotonic()
        if now >= self.next_reclaim:
            tasks_reclaim()
            self.next_reclaim = now + lease_seconds() / 2
        if now >= self.next_purge:
            self.next_purge = now + settings.PURGE_INTERVAL_SECONDS
            for path in settings.PURGES:
                logger.info("Purge %s: %s", path, import_string(path)())

    def wait_for_database(self, exc: Exception) -> None:
        """Drop the broken connections and try again, waiting longer each time (up to 30 s); then give back the task
        that was running when the database went away."""
        logger.warning("Database unreachable (%s): worker %s waits", exc, self.worker_id)
        delay = 1.0
        while self.running:
            connections.close_all()
            try:
                connection.ensure_connection()
                break
            except DATABASE_DOWN:
                time.sleep(delay)
                delay = min(30.0, delay * 2)
        logger.warning("Database back: worker %s goes on", self.worker_id)
        if self.current is not None:
            with transaction.atomic():
                row = DBTaskResult.objects.select_for_update().filter(
                    pk=self.current.pk, status=TaskResultStatus.RUNNING).first()
                if row is not None and row.worker_ids[-1:] == [self.worker_id]:
                    task_requeue_or_fail(row=row, reason="base de données interrompue")
            self.current = None
            self.running_task = False


def _is_transient(exception_class_path: str) -> bool:
    try:
        exception_class = import_string(exception_class_path)
    except ImportError:
        return False
    return isinstance(exception_class, type) and issubclass(exception_class, TRANSIENT)
