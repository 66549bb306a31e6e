"""Background work of the jury (django-tasks; `python manage.py run_worker` runs it): the PV and the letters of
a closed jury, made once from its record and stored with it (`jury.documents`)."""
from django.db import transaction
from django_tasks import task

from grading.models import JuryRecord
from jury.documents import record_documents_make


@task()
def make_record_documents(record_id: int) -> list[str]:
    """Make and store a closed jury's PV and letters (a few seconds for a promotion: never in a page)."""
    return record_documents_make(record_id=record_id)


def documents_queue(*, record: JuryRecord) -> None:
    """Queue the making of a record's documents once the closing's transaction commits."""
    transaction.on_commit(lambda: make_record_documents.enqueue(record_id=record.pk))
