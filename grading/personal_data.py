"""What the application holds about one student, exported or anonymised (RGPD; README, « Données personnelles »).

Each kind of personal data has an exporter (a section of the export) and, when it names the student, an anonymiser.
A later feature that stores personal data appends its own to EXPORTERS and ANONYMISERS, so that the export stays
complete and the anonymisation thorough; an application above this one (accounts: the CAS identifier) calls
`register` from its `AppConfig.ready`, so the command sees every section whatever imports what. Jury records and
PVs, and the Apogée files filled from them, are administrative archives: exported, kept as they are. Results
(grades, decisions) stay, detached from the person, for statistics.
"""
from collections.abc import Callable
from datetime import date

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from grading.attendance_personal_data import (
    alerts_export,
    attendance_anonymise,
    attendance_export,
    justifications_export,
)
from grading.models import (
    ApogeeExport,
    AuditEntry,
    Enrolment,
    ExternalValidation,
    Grade,
    GradeChange,
    JuryDecision,
    JuryRecordDocument,
    JuryRecordStudent,
    StaffRead,
    StoredBulletin,
    Student,
)
from grading.services.audit_entries import audit_row, batch_key, journal

STILL_KEPT = ("{student} a une inscription en {year} : ses données sont conservées {years} ans après sa dernière "
              "année (jusqu'au 31 août {until}). Rien n'a été anonymisé.")
ALREADY_ANONYMOUS = "Cet étudiant est déjà anonymisé."
ANONYMOUS_PREFIX = "ANON"
BATCH_PREFIX = "donnees-personnelles"


def _when(value) -> str | None:
    return value.isoformat() if value else None


def _logins(student: Student) -> list[str]:
    return [name for name in {student.ine, student.user.username if student.user else None} if name]


def _student(student: Student) -> dict:
    user = student.user
    return {"ine": student.ine, "nip": student.nip, "last_name": student.last_name, "first_name": student.first_name,
            "email": student.email, "postal_address": student.postal_address,
            "results_notices": student.results_notices,
            "account": None if user is None else {
                "login": user.username, "email": user.email, "active": user.is_active,
                "date_joined": _when(user.date_joined), "last_login": _when(user.last_login)}}


def _enrolments(student: Student) -> list[dict]:
    rows = (Enrolment.objects.filter(student=student).select_related("semester_instance__academic_year",
                                                                     "semester_instance__semester", "parcours")
            .prefetch_related("groups").order_by("semester_instance__academic_year__start_year", "pk"))
    return [{"semester": str(e.semester_instance), "academic_year": str(e.semester_instance.academic_year),
             "status": e.status, "repeat": e.is_repeat, "parcours": str(e.parcours) if e.parcours else None,
             "groups": sorted(str(g) for g in e.groups.all()),
             "bonus": None if not hasattr(e, "bonus") else {"percent": str(e.bonus.percent), "reason": e.bonus.reason}}
            for e in rows]


def _grades(student: Student) -> list[dict]:
    rows = (Grade.objects.filter(enrolment__student=student)
            .select_related("evaluation__module", "enrolment__semester_instance")
            .order_by("enrolment__semester_instance_id", "evaluation__module__code", "evaluation_id"))
    return [{"semester": str(g.enrolment.semester_instance), "module": g.evaluation.module.code,
             "evaluation": g.evaluation.title,
             "grade": g.display, "updated_at": _when(g.updated_at)} for g in rows]


def _grade_changes(student: Student) -> list[dict]:
    rows = (GradeChange.objects.filter(enrolment__student=student).select_related("evaluation__module", "user")
            .order_by("at"))
    return [{"module": c.evaluation.module.code, "evaluation": str(c.evaluation), "old": c.old_value,
             "new": c.new_value, "source": c.source, "by": c.user.get_full_name() if c.user else None,
             "at": _when(c.at), "reason": c.reason} for c in rows]


def _decisions(student: Student) -> list[dict]:
    rows = JuryDecision.objects.filter(enrolment__student=student).select_related("enrolment__semester_instance",
                                                                                  "user").order_by("at")
    return [{"semester": str(d.enrolment.semester_instance), "level": d.level, "subject": d.subject,
             "code": d.code, "reason": d.reason, "at": _when(d.at), "in_force": not hasattr(d, "superseded_by")}
            for d in rows]


def _external_validations(student: Student) -> list[dict]:
    return [{"ue": v.ue.code, "code": v.code, "average": None if v.average is None else str(v.average),
             "origin": v.origin, "date": _when(v.date)}
            for v in ExternalValidation.objects.filter(student=student).select_related("ue")]


def _journal(student: Student) -> list[dict]:
    rows = AuditEntry.objects.filter(**_journal_filter(student)).select_related("user").order_by("at")
    return [{"at": _when(a.at), "object": a.object_repr, "action": a.action, "field": a.field, "old": a.old_value,
             "new": a.new_value, "by": a.user.get_full_name() if a.user else None} for a in rows]


def _journal_filter(student: Student) -> dict:
    from django.db.models import Q
    enrolments = list(Enrolment.objects.filter(student=student).values_list("pk", flat=True))
    return {"pk__in": AuditEntry.objects.filter(
        Q(object_type="grading.student", object_id=student.pk)
        | Q(object_type="grading.enrolment", object_id__in=enrolments)).values("pk")}


def _login_attempts(student: Student) -> list[dict]:
    logins = _logins(student)
    return [{"at": _when(a.attempt_time), "address": a.ip_address, "browser": a.user_agent, "kind": kind}
            for kind, model in (("échec", AccessFailureLog), ("connexion", AccessLog))
            for a in model.objects.filter(username__in=logins).order_by("attempt_time")]


def _reads(student: Student) -> list[dict]:
    rows = StaffRead.objects.filter(student=student).select_related("user").order_by("at")
    return [{"at": _when(r.at), "page": r.page, "by": r.user.get_full_name() if r.user else None} for r in rows]


def _jury_records(student: Student) -> list[dict]:
    """The student as each closed jury recorded them (the PV's source), superseded records included."""
    rows = (JuryRecordStudent.objects.filter(student=student).select_related("record")
            .order_by("record__date", "record__closed_at"))
    return [{"jury": f"Jury du {r.record.date:%d/%m/%Y}", "scope": r.record.scope,
             "closed_at": _when(r.record.closed_at), "superseded_at": _when(r.record.superseded_at),
             "name": r.name, "ine": r.ine, "parcours": r.parcours, "status": r.status, "proposal": r.proposal,
             "decision": r.decision, "ects_year": str(r.ects_year), "ects_total": str(r.ects_total),
             "figures": r.figures} for r in rows]


APOGEE_HEADER = "apoL_a01_code"


def _maquette_row(content: bytes, nip: str) -> dict | None:
    """Return the student's row of a filled maquette, column by column (its first column is the NIP)."""
    try:
        text = bytes(content).decode("utf-8-sig")
    except UnicodeDecodeError:
        text = bytes(content).decode("iso-8859-1")
    header = None
    for line in text.splitlines():
        fields = line.split("\t")
        if header is None:
            if line.startswith(APOGEE_HEADER):
                header = [f.strip() for f in fields]
        elif fields[0].strip() == nip:
            return dict(zip(header, (f.strip() for f in fields), strict=False))
    return None


def _apogee_rows(student: Student) -> list[dict]:
    """The student's row in each Apogée maquette filled after a jury that decided them (found by NIP)."""
    if not student.nip:
        return []
    exports = (ApogeeExport.objects.filter(session__semester_instances__enrolments__student=student).distinct()
               .select_related("session").order_by("made_at"))
    found = []
    for export in exports:
        row = _maquette_row(export.content, student.nip)
        if row is not None:
            found.append({"file": export.filename, "jury": str(export.session), "made_at": _when(export.made_at),
                          "row": row})
    return found


def _stored_bulletins(student: Student) -> list[dict]:
    rows = StoredBulletin.objects.filter(enrolment__student=student).order_by("made_at").values(
        "enrolment_id", "copy", "made_at")
    return [{"enrolment": r["enrolment_id"], "copy": r["copy"], "made_at": _when(r["made_at"])} for r in rows]


EXPORTERS: list[tuple[str, Callable[[Student], object]]] = [
    ("student", _student),
    ("enrolments", _enrolments),
    ("grades", _grades),
    ("grade_changes", _grade_changes),
    ("jury_decisions", _decisions),
    ("jury_records", _jury_records),
    ("apogee_exports", _apogee_rows),
    ("external_validations", _external_validations),
    ("journal", _journal),
    ("login_attempts", _login_attempts),
    ("staff_reads", _reads),
    ("attendance", attendance_export),
    ("justifications", justifications_export),
    ("attendance_alerts", alerts_export),
    ("stored_bulletins", _stored_bulletins),
]


def student_export(*, student: Student, user=None) -> dict:
    """Return everything held about the student (JSON-ready) and journal the export."""
    data = {"exported_at": timezone.now().isoformat(), **{name: export(student) for name, export in EXPORTERS}}
    journal([audit_row(obj=student, action="export", user=user, source=AuditEntry.Source.SCRIPT,
                       batch=batch_key(BATCH_PREFIX))])
    return data


def retention_end(*, student: Student) -> date | None:
    """Return the day after which the student's data may be anonymised: 31 August of their last academic year's
    end, plus STUDENT_DATA_YEARS years (None when they were never enrolled)."""
    last = (Enrolment.objects.filter(student=student).order_by("-semester_instance__academic_year__start_year")
            .values_list("semester_instance__academic_year__start_year", flat=True).first())
    return None if last is None else date(last + 1 + settings.STUDENT_DATA_YEARS, 8, 31)


def _anonymise_student(student: Student) -> None:
    anonymous = f"{ANONYMOUS_PREFIX}{student.pk}"
    if student.user is not None:
        account = student.user
        account.username, account.first_name, account.last_name, account.email = anonymous.lower(), "", "", ""
        account.is_active = False
        account.set_unusable_password()
        account.save()
    Student.objects.filter(pk=student.pk).update(ine=anonymous, nip="", last_name="Anonyme",
                                                 first_name=str(student.pk), email="", postal_address="",
                                                 results_notices=False)


def _anonymise_login_attempts(student: Student) -> None:
    logins = _logins(student)
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__in=logins).delete()


def _anonymise_stored_bulletins(student: Student) -> None:
    StoredBulletin.objects.filter(enrolment__student=student).delete()  # PDFs naming the student: made again


def _anonymise_journal(student: Student) -> None:
    # the journal of changes named the student and held the old and new names: the rows stay (who changed what,
    # when), without the person
    AuditEntry.objects.filter(**_journal_filter(student)).update(object_repr=f"{ANONYMOUS_PREFIX}{student.pk}")
    AuditEntry.objects.filter(**_journal_filter(student),
                              field__in=["ine", "last_name", "first_name", "email", "postal_address"]
                              ).update(old_value="", new_value="")


# Order matters: the login attempts are found by the logins the student and account still have.
def _anonymise_documents(student: Student) -> None:
    # the letters stored at a jury's closing print the student's postal address: they are dropped (a later download
    # is made again from the record, without it); the PV, an administrative archive, is kept as it is
    JuryRecordDocument.objects.filter(record__students__student=student,
                                      kind=JuryRecordDocument.Kind.LETTERS).delete()


ANONYMISERS: list[Callable[[Student], None]] = [_anonymise_login_attempts, _anonymise_journal, attendance_anonymise,
                                                _anonymise_documents, _anonymise_stored_bulletins,
                                                _anonymise_student]


def register(*, name: str, exporter: Callable[[Student], object],
             anonymiser: Callable[[Student], None] | None = None) -> None:
    """Add a section to the export and, when it names the student, its anonymiser (run first, while the student
    and their account still carry their identifiers). Called once per application (`AppConfig.ready`)."""
    if name in dict(EXPORTERS):
        return
    EXPORTERS.append((name, exporter))
    if anonymiser is not None:
        ANONYMISERS.insert(0, anonymiser)


class StillKept(Exception):
    """The student's retention time has not passed; the message is for the user."""


def student_anonymise(*, student: Student, user=None, today: date | None = None) -> None:
    """Replace the student's names, e-mail and identifiers everywhere but in the jury records and PVs, once the
    retention time has passed; results stay for statistics. One transaction, journaled."""
    today = today or timezone.localdate()
    if student.ine.startswith(ANONYMOUS_PREFIX) and student.last_name == "Anonyme":
        raise StillKept(ALREADY_ANONYMOUS)
    end = retention_end(student=student)
    if end is not None and today <= end:
        last_year = end.year - 1 - settings.STUDENT_DATA_YEARS
        raise StillKept(STILL_KEPT.format(student=student, year=f"{last_year}-{last_year + 1}",
                                          years=settings.STUDENT_DATA_YEARS, until=end.year))
    with transaction.atomic():
        for anonymise in ANONYMISERS:
            anonymise(student)
        journal([audit_row(obj=student, label=f"{ANONYMOUS_PREFIX}{student.pk}", action="anonymise", user=user,
                           source=AuditEntry.Source.SCRIPT, batch=batch_key(BATCH_PREFIX))])
