"""A whole semester's bulletins as one PDF, built by the worker with progress (queued by `portal.tasks.batch_start`)."""
import logging

from django.utils import timezone

from grading.models import BulletinBatch, Student
from portal.pdf import bulletins_pdf
from portal.results import results_for_students

logger = logging.getLogger(__name__)
BATCH_FAILED = "La production des bulletins a échoué : {error}"



def batch_build(*, batch_id: int) -> None:
    """Build the PDF of a batch: one bulletin per enrolled student, sorted by name, progress saved as it goes."""
    batch = BulletinBatch.objects.select_related("semester_instance").get(pk=batch_id)
    BulletinBatch.objects.filter(pk=batch_id).update(status=BulletinBatch.Status.RUNNING, done=0)
    try:
        students = list(Student.objects.filter(enrolments__semester_instance=batch.semester_instance)
                        .order_by("last_name", "first_name", "ine"))
        results = results_for_students(students=students, draft=batch.draft)
        items = []
        for student in students:
            student_results = results.get(student.id)
            semester = student_results.semester(batch.semester_instance_id) if student_results else None
            if semester is not None:
                items.append((student_results, semester))
        BulletinBatch.objects.filter(pk=batch_id).update(total=len(items))
        content = bulletins_pdf(items=items, progress=lambda n: BulletinBatch.objects.filter(pk=batch_id)
                                .update(done=n))
    except Exception as exc:  # the page must say it failed rather than spin for ever; the log keeps the trace
        logger.exception("Bulletins of batch %s failed", batch_id)
        BulletinBatch.objects.filter(pk=batch_id).update(status=BulletinBatch.Status.FAILED,
                                                         error=BATCH_FAILED.format(error=exc),
                                                         finished_at=timezone.now())
        raise
    BulletinBatch.objects.filter(pk=batch_id).update(status=BulletinBatch.Status.DONE, pdf=content,
                                                     finished_at=timezone.now())
