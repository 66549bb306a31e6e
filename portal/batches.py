"""A whole semester's bulletins as one PDF, built by the worker with progress (queued by `portal.tasks.batch_start`)."""
import logging
from collections.abc import Callable

from django.utils import timezone

from grading.models import BulletinBatch, Student
from grading.selectors.bulletin_settings import bulletin_rank_shown
from portal.pdf import bulletins_pdf, copy_of
from portal.results import results_for_students

logger = logging.getLogger(__name__)
BATCH_FAILED = "La production des bulletins a échoué : {error}"


def semester_bulletins(*, semester_instance, draft: bool, total: Callable[[int], None] | None = None,
                       progress: Callable[[int], None] | None = None) -> bytes:
    """Return the bulletins of every student enrolled in a semester, sorted by name, as one PDF laid out in one
    pass (fonts and stylesheet loaded once); the promotion's figures from the same results. `total(n)` once the
    bulletins are counted, `progress(done)` as they are laid out."""
    students = list(Student.objects.filter(enrolments__semester_instance=semester_instance)
                    .order_by("last_name", "first_name", "ine"))
    results = results_for_students(students=students, draft=draft)
    items = []
    for student in students:
        student_results = results.get(student.id)
        semester = student_results.semester(semester_instance.pk) if student_results else None
        if semester is not None:
            items.append((student_results, semester))
    if total is not None:
        total(len(items))
    return bulletins_pdf(items=items, copy=copy_of(draft=draft, student=False), show_rank=bulletin_rank_shown(),
                         progress=progress)


def batch_build(*, batch_id: int) -> None:
    """Build the PDF of a batch: one bulletin per enrolled student, sorted by name, progress saved as it goes."""
    batch = BulletinBatch.objects.select_related("semester_instance").get(pk=batch_id)
    BulletinBatch.objects.filter(pk=batch_id).update(status=BulletinBatch.Status.RUNNING, done=0)
    rows = BulletinBatch.objects.filter(pk=batch_id)
    try:
        content = semester_bulletins(semester_instance=batch.semester_instance, draft=batch.draft,
                                     total=lambda n: rows.update(total=n), progress=lambda n: rows.update(done=n))
    except Exception as exc:  # the page must say it failed rather than spin for ever; the log keeps the trace
        logger.exception("Bulletins of batch %s failed", batch_id)
        BulletinBatch.objects.filter(pk=batch_id).update(status=BulletinBatch.Status.FAILED,
                                                         error=BATCH_FAILED.format(error=exc),
                                                         finished_at=timezone.now())
        raise
    BulletinBatch.objects.filter(pk=batch_id).update(status=BulletinBatch.Status.DONE, pdf=content,
                                                     finished_at=timezone.now())
