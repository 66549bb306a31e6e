"""Background work (django-tasks, database backend; `python manage.py db_worker` runs it): the publication notices
and a whole semester's bulletins, and `batch_start`, which records a request for the bulletins and queues it."""
from django.db import transaction
from django_tasks import task

from grading.models import BulletinBatch, Enrolment, SemesterInstance
from portal.batches import batch_build
from portal.notices import notices_send


@task()
def send_results_notices(student_ids: list[int], kind: str, base_url: str) -> int:
    """Send the publication notices (a worker keeps the page that published them fast)."""
    return notices_send(student_ids=student_ids, kind=kind, base_url=base_url)


@task()
def build_semester_bulletins(batch_id: int) -> None:
    """Build a whole semester's bulletins as one PDF, recording progress on the batch."""
    batch_build(batch_id=batch_id)


def batch_start(*, semester_instance: SemesterInstance, draft: bool, user) -> BulletinBatch:
    """Record a request for a semester's bulletins and queue its task (the row commits with the task's)."""
    with transaction.atomic():
        batch = BulletinBatch.objects.create(
            semester_instance=semester_instance, draft=draft, requested_by=user,
            total=Enrolment.objects.filter(semester_instance=semester_instance).count())
        build_semester_bulletins.enqueue(batch_id=batch.pk)
    batch.refresh_from_db()  # an immediate backend (tests) has already built it
    return batch
