"""The PV de jury, rendered by WeasyPrint from `templates/jury/pdf/`, and what every jury PDF shares (its context,
the date it is issued, the president's title); the letters are in `jury.letters`, the attestations in
`jury.attestations`.

The PV carries official codes only (no rule ids, no internal notes).
"""
from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone

from grading.models import InstitutionIdentity, JurySession
from grading.selectors.institution import institution_identity, letterhead_context
from jury.exports import decision_totals
from jury.report import Report
from jury.statistics import jury_overview


def issue_date(session: JurySession | None) -> date:
    """The letters' date: the jury's closing (letters made then are stored with its record), else today."""
    return timezone.localdate(session.closed_at) if session is not None and session.closed_at else timezone.localdate()


def president_title(name: str, identity: InstitutionIdentity) -> str:
    """The president's title: the identity's when the jury's president is the default one, else the plain role."""
    if name and identity.president_name and name.strip().lower() == identity.president_name.strip().lower():
        return identity.president_title or "Président du jury"
    return "Président ou présidente du jury"


def pdf_context(report: Report, session: JurySession | None) -> dict:
    """What every jury PDF reads: the report, the session, its members, totals, overview, the letterhead."""
    programme = report.scope.programme
    members = [m.strip() for m in (session.members.splitlines() if session else []) if m.strip()]
    return {"report": report, "session": session, "programme": programme, "speciality": programme.speciality,
            "members": members, "totals": decision_totals(report), "overview": jury_overview(report),
            "provisional": session is None or not session.is_closed, **letterhead_context()}


def pv_html(*, report: Report, session: JurySession | None) -> str:
    identity = institution_identity()
    president = session.president if session else identity.president_name
    observations, annex = pv_observations(report, session)
    for row in report.rows:  # the template's cheapest lookup (a PV of 200 students)
        row.observation = observations.get(row.student.pk, "")
    return render_to_string("jury/pdf/jury_pv.html", {
        **pdf_context(report, session), "annex": annex, "issued": issue_date(session),
        "president": president, "president_title": president_title(president, identity)})


OBSERVATION_CHARS = 90


def pv_observations(report: Report, session: JurySession | None) -> tuple[dict[int, str], list[dict]]:
    """Return the PV's observations: per student, the jury's reasons for its overrides, shortened (« … voir
    annexe n ») and the annex listing them in full. A closed jury's come from its record; an open one's are live."""
    from grading.selectors.jury_records import current_record
    from jury.records import overrides_of

    record = current_record(session) if session is not None else None
    if record is not None:
        found = {row.student_id: row.figures.get("overrides", []) for row in record.students.all()}
    else:
        found = overrides_of(report)
    observations, annex = {}, []
    for row in report.rows:
        reasons = [o for o in found.get(row.student.pk, []) if o.get("reason", "").strip()]
        if not reasons:
            continue
        full = " ; ".join(f"{_subject(o['subject'])} {o['code']} : {o['reason'].strip()}" for o in reasons)
        if len(full) > OBSERVATION_CHARS:
            annex.append({"number": len(annex) + 1, "student": row.student, "reasons": [
                {"subject": _subject(o["subject"]), "code": o["code"], "reason": o["reason"].strip()}
                for o in reasons]})
            full = f"{full[:OBSERVATION_CHARS].rstrip()}… (annexe, n° {len(annex)})"
        observations[row.student.pk] = full
    return observations, annex


def _subject(subject: str) -> str:
    return "Année" if subject == "année" else subject


def to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported here: loading WeasyPrint is slow and only PDFs need it

    return HTML(string=html).write_pdf()


def pv_pdf(*, report: Report, session: JurySession | None) -> bytes:
    """Return the PV de jury as PDF (A4 landscape, header repeated on every page, numbered pages)."""
    return to_pdf(pv_html(report=report, session=session))
