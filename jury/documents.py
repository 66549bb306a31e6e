"""The documents made once from a closed jury's record and kept with it (`JuryRecordDocument`): its PV and its
decision letters. Made by the background worker after the closing commits (queued by `jury.tasks.documents_queue`;
rendering them takes several seconds, longer than a page may wait), served from then on as stored: a later change
of the institution's identity, of a student's name or address alters no archived document. Until they are stored,
downloads are made on demand from the same record."""
import copy

from django.db import IntegrityError, transaction

from grading.models import JuryRecord, JuryRecordDocument, JurySession
from grading.models.jury_records import DOCUMENT_MAX_BYTES
from grading.selectors.jury_records import current_record
from jury import letters, pdf
from jury.records import recorded_report
from jury.scope import scope_of_session

TOO_BIG = "Le document {kind} du jury dépasse {limit} Mo : il n'est pas archivé."
KINDS = (JuryRecordDocument.Kind.PV, JuryRecordDocument.Kind.LETTERS)


def record_document_render(*, record: JuryRecord, kind: str) -> bytes:
    """Render one document of a record from the record alone (never recomputed)."""
    session = copy.copy(record.session)  # the sitting as the record printed it (a reopened jury's may differ)
    session.president, session.members, session.date = record.president, record.members, record.date
    session.closed_at = record.closed_at
    report = recorded_report(record, scope_of_session(session))
    if kind == JuryRecordDocument.Kind.PV:
        return pdf.pv_pdf(report=report, session=session)
    return letters.letters_pdf(report=report, session=session)


def record_documents_make(*, record_id: int) -> list[str]:
    """Make and store the documents a record does not hold yet; return the kinds made. A superseded record's are
    made too (its history keeps what it printed)."""
    record = JuryRecord.objects.select_related("session").filter(pk=record_id).first()
    if record is None:
        return []
    made = []
    for kind in KINDS:
        if JuryRecordDocument.objects.filter(record=record, kind=kind).exists():
            continue
        data = record_document_render(record=record, kind=kind)
        if len(data) > DOCUMENT_MAX_BYTES:
            raise ValueError(TOO_BIG.format(kind=kind, limit=DOCUMENT_MAX_BYTES // (1024 * 1024)))
        try:
            with transaction.atomic():
                JuryRecordDocument.objects.create(record=record, kind=kind, pdf=data, size=len(data))
        except IntegrityError:  # made meanwhile by another worker: theirs is kept
            continue
        made.append(str(kind))
    return made


def documents_archived(session: JurySession) -> bool:
    """Tell whether a closed jury's PV and letters are stored with its current record (False: open, or not yet
    made by the worker)."""
    record = current_record(session)
    return record is not None and JuryRecordDocument.objects.filter(record=record).exists()


def stored_document(*, session: JurySession, kind: str) -> bytes | None:
    """Return the stored bytes of a closed jury's document (its current record's), or None (open, not yet made)."""
    record = current_record(session)
    if record is None:
        return None
    data = (JuryRecordDocument.objects.filter(record=record, kind=kind).values_list("pdf", flat=True).first())
    return bytes(data) if data is not None else None
