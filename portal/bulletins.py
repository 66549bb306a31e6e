"""One student's bulletin on demand, made once per content and kept (`grading.StoredBulletin`).

The bulletin's HTML is cheap (the student's results and the promotion's figures are cached per results version);
its layout is not. The digest of the HTML, with the semester's results version, keys the kept PDF: the same
results, the same publication, the same identity and the same day give the same document, served as it was made.
"""
import hashlib

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404

from grading.models import Enrolment, StoredBulletin
from grading.selectors.bulletin_settings import bulletin_rank_shown
from portal.pdf import Copy, bulletin_html, copy_of, html_pdf
from portal.results import SemesterResults, StudentResults, student_results
from portal.statistics import promotion_statistics


def bulletin_for(*, results: StudentResults, semester: SemesterResults, enrolment_id: int, results_version: int,
                 copy: Copy) -> bytes:
    """Return a bulletin's PDF, the kept one when its content has not changed, else made and kept (at most
    STORED_BULLETIN_MAX_BYTES; one per enrolment and copy)."""
    promotion = promotion_statistics(semester_instance_id=semester.instance_id, draft=results.draft)
    html = bulletin_html(results=results, semester=semester, promotion=promotion, copy=copy,
                         show_rank=bulletin_rank_shown())
    digest = hashlib.sha256(html.encode()).hexdigest()
    kept = (StoredBulletin.objects.filter(enrolment_id=enrolment_id, copy=copy, digest=digest)
            .values_list("pdf", flat=True).first())
    if kept is not None:
        return bytes(kept)
    content = html_pdf(html)
    if len(content) <= settings.STORED_BULLETIN_MAX_BYTES:
        stored_bulletin_keep(enrolment_id=enrolment_id, copy=copy, digest=digest, results_version=results_version,
                             content=content)
    return content


def stored_bulletin_keep(*, enrolment_id: int, copy: Copy, digest: str, results_version: int, content: bytes) -> None:
    """Keep a bulletin just made in place of the enrolment's previous one of that copy (a derived document, not
    journaled, as the semester batches). Two requests at once: the second keeps nothing, which is harmless."""
    try:
        with transaction.atomic():
            StoredBulletin.objects.filter(enrolment_id=enrolment_id, copy=copy).delete()
            StoredBulletin.objects.create(enrolment_id=enrolment_id, copy=copy, digest=digest,
                                          results_version=results_version, pdf=content)
    except IntegrityError:
        pass


def bulletin_document(*, enrolment: Enrolment, draft: bool, student: bool = False) -> bytes:
    """Return the bulletin of an enrolment: staff's original or working document, or the student's duplicata
    (`student`). 404 when the student's results do not hold that semester."""
    results = student_results(student=enrolment.student, draft=draft)
    semester = results.semester(enrolment.semester_instance_id) if results else None
    if semester is None:
        raise Http404
    return bulletin_for(results=results, semester=semester, enrolment_id=enrolment.pk,
                        results_version=enrolment.semester_instance.results_version,
                        copy=copy_of(draft=draft, student=student))


def stored_bulletins_clear(*, enrolment: Enrolment) -> int:
    """Forget the kept bulletins of an enrolment (the benchmark times a bulletin made afresh)."""
    return StoredBulletin.objects.filter(enrolment=enrolment).delete()[0]


def student_copy(*, results: StudentResults, semester: SemesterResults) -> bytes:
    """Return the duplicata of a student's bulletin (their own download, from their published results)."""
    enrolment = (Enrolment.objects.filter(student=results.student, semester_instance_id=semester.instance_id)
                 .select_related("semester_instance").order_by("pk").first())
    if enrolment is None:
        raise Http404
    return bulletin_for(results=results, semester=semester, enrolment_id=enrolment.pk,
                        results_version=enrolment.semester_instance.results_version, copy=Copy.DUPLICATE)
