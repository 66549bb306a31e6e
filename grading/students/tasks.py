"""Background work (django-tasks, database backend; `python manage.py db_worker` runs it)."""
from django_tasks import task

from grading.students.notices import notices_send


@task()
def send_results_notices(student_ids: list[int], kind: str, base_url: str) -> int:
    """Send the publication notices (a worker keeps the page that published them fast)."""
    return notices_send(student_ids=student_ids, kind=kind, base_url=base_url)


@task()
def build_semester_bulletins(batch_id: int) -> None:
    """Build a whole semester's bulletins as one PDF, recording progress on the batch."""
    from grading.students.batches import batch_build  # WeasyPrint loads only in the worker

    batch_build(batch_id=batch_id)
