"""Purges of grading's documents made on demand, run by the worker (settings.PURGES)."""
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from grading.models import BulletinBatch, Justification, StaffRead, StoredBulletin


def bulletin_batches_purge() -> int:
    """Remove finished batches of bulletins (PDFs naming every student) older than BULLETIN_BATCHES_DAYS."""
    before = timezone.now() - timedelta(days=settings.BULLETIN_BATCHES_DAYS)
    return BulletinBatch.objects.filter(finished_at__lt=before).delete()[0]


def staff_reads_purge() -> int:
    """Remove the journal of staff reads older than READ_JOURNAL_DAYS."""
    return StaffRead.objects.filter(at__lt=timezone.now() - timedelta(days=settings.READ_JOURNAL_DAYS)).delete()[0]


def justification_documents_purge() -> int:
    """Remove the documents of justifications decided more than JUSTIFICATION_DOCUMENTS_DAYS ago (the decision stays:
    it says which absences are justified). Returns the number of documents removed."""
    before = timezone.now() - timedelta(days=settings.JUSTIFICATION_DOCUMENTS_DAYS)
    return (Justification.objects.filter(decided_at__lt=before, document__isnull=False)
            .update(document=None, filename=""))


def stored_bulletins_purge() -> int:
    """Remove the bulletins kept after being made on demand (PDFs naming a student) older than
    BULLETIN_BATCHES_DAYS: a later download makes them again."""
    before = timezone.now() - timedelta(days=settings.BULLETIN_BATCHES_DAYS)
    return StoredBulletin.objects.filter(made_at__lt=before).delete()[0]
