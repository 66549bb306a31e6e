"""Background work (django-tasks, database backend; `python manage.py run_worker` runs it): the publication notices
and a whole semester's bulletins, and `batch_start`, which records a request for the bulletins and queues it."""
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from butgmp.worker import on_give_up
from grading.models import BulletinBatch, Enrolment, SemesterInstance
from portal.batches import batch_build
from portal.notices import notices_send

BATCH_LOST = ("La production a été interrompue {attempts} fois (serveur arrêté ou redémarré) : relancez-la avec le "
              "bouton « Produire les bulletins ».")
UNFINISHED = (BulletinBatch.Status.QUEUED, BulletinBatch.Status.RUNNING)


@task(queue_name="email")
def send_results_notices(student_ids: list[int], kind: str, base_url: str) -> int:
    """Send the publication notices (a worker keeps the page that published them fast)."""
    return notices_send(student_ids=student_ids, kind=kind, base_url=base_url)


@task()
def build_semester_bulletins(batch_id: int) -> None:
    """Build a whole semester's bulletins as one PDF, recording progress on the batch."""
    batch_build(batch_id=batch_id)


@on_give_up(build_semester_bulletins)
def bulletins_given_up(*, batch_id: int) -> None:
    """Mark a batch failed when the worker gave up its task, so that its page says so and offers to start again."""
    from django.conf import settings

    BulletinBatch.objects.filter(pk=batch_id, status__in=UNFINISHED).update(
        status=BulletinBatch.Status.FAILED, error=BATCH_LOST.format(attempts=settings.TASK_MAX_ATTEMPTS),
        finished_at=timezone.now())


def batch_start(*, semester_instance: SemesterInstance, draft: bool, user) -> tuple[BulletinBatch, bool]:
    """Record a request for a semester's bulletins and queue its task (the row commits with the task's); return the
    batch and whether it is new. One batch per semester, version and results at a time: while one is waiting or
    running, or once one is made from the same results, that one is returned and nothing is queued."""
    with transaction.atomic():
        instance = SemesterInstance.objects.select_for_update().get(pk=semester_instance.pk)  # one request at once
        same = BulletinBatch.objects.filter(semester_instance=instance, draft=draft).defer("pdf")
        existing = (same.filter(status__in=UNFINISHED).first()
                    or same.filter(status=BulletinBatch.Status.DONE, results_version=instance.results_version)
                    .order_by("-requested_at").first())
        if existing is not None:
            return existing, False
        batch = BulletinBatch.objects.create(
            semester_instance=instance, draft=draft, requested_by=user, results_version=instance.results_version,
            total=Enrolment.objects.filter(semester_instance=instance).count())
        build_semester_bulletins.enqueue(batch_id=batch.pk)
    batch.refresh_from_db()  # an immediate backend (tests) has already built it
    return batch, True
