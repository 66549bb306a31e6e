"""Reads behind the staff's pages of the students' side: a semester's juries to publish, its bulletin batches."""
from grading.models import BulletinBatch, JurySession, SemesterInstance

RECENT_BATCHES = 10


def semester_juries(*, semester_instance: SemesterInstance):
    """Return the juries that decided the semester, the latest first, with who published them."""
    return semester_instance.jury_sessions.select_related("published_by").order_by("-date", "-id")


def first_semester(*, session: JurySession) -> SemesterInstance | None:
    """Return the first semester a jury decides on (its publication page), or None."""
    return session.semester_instances.order_by("pk").first()


def recent_batches(*, semester_instance: SemesterInstance) -> list[BulletinBatch]:
    """Return the semester's bulletin batches still queued or running (never dropped from the page), then its latest
    finished ones, without their PDFs."""
    rows = BulletinBatch.objects.filter(semester_instance=semester_instance).defer("pdf").select_related("requested_by")
    unfinished = (BulletinBatch.Status.QUEUED, BulletinBatch.Status.RUNNING)
    return list(rows.filter(status__in=unfinished)) + list(rows.exclude(status__in=unfinished)[:RECENT_BATCHES])
