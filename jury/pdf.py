"""The PV de jury and the decision letters, rendered by WeasyPrint from `templates/jury/pdf/`.

The PV carries official codes only (no rule ids, no internal notes); the letters say the same in the plain
French a student understands.
"""
from django.template.loader import render_to_string

from grading.engine.codes import DecisionCode
from grading.models import JurySession
from grading.selectors.institution import institution_identity, letterhead_context
from jury.exports import decision_totals
from jury.letters import issue_date, president_title
from jury.report import Report, ReportRow
from jury.statistics import jury_overview

YEAR_SENTENCES = {
    DecisionCode.ADM: "Vous êtes admis(e) : toutes les compétences de l'année sont validées.",
    DecisionCode.PASD: ("Vous passez de droit dans l'année supérieure : toutes les compétences de l'année ne sont "
                        "pas encore validées, mais vous remplissez les conditions de passage."),
    DecisionCode.PAS1NCI: ("Le jury vous autorise à passer dans l'année supérieure avec un niveau de compétence "
                           "non validé, que vous devrez valider."),
    DecisionCode.ADJ: "Le jury a validé votre année.",
    DecisionCode.RED: ("Vous n'avez pas validé l'année : vous êtes autorisé(e) à la redoubler. Les UE acquises "
                       "restent acquises."),
    DecisionCode.NAR: "Vous n'avez pas validé l'année et vous n'êtes pas autorisé(e) à la redoubler.",
    DecisionCode.RAT: "Le jury attend les résultats d'un rattrapage avant de se prononcer.",
    DecisionCode.ATJ: "Le jury attend un justificatif avant de se prononcer.",
    DecisionCode.EXCLU: "Le jury a prononcé votre exclusion.",
    DecisionCode.ABL: "Le jury a prononcé une année blanche.",
    DecisionCode.DEF: "Vous avez été déclaré(e) défaillant(e) : l'année n'est pas validée.",
    DecisionCode.DEM: "Vous avez démissionné : l'année n'est pas validée.",
    DecisionCode.ABAN: "Vous avez abandonné la formation : l'année n'est pas validée.",
    DecisionCode.ATT: "Le jury n'a pas encore pu se prononcer : des résultats sont en attente.",
}
NO_DECISION = "Aucune décision n'a encore été enregistrée."
RESULT_WORDS = {
    DecisionCode.ADM: "acquise", DecisionCode.CMP: "acquise par compensation",
    DecisionCode.ADJ: "validée par le jury", DecisionCode.ADJR: "acquise (compétence validée par le jury)",
    DecisionCode.ADSUP: "validée par un niveau supérieur", DecisionCode.AJ: "non acquise",
    DecisionCode.ATT: "en attente",
    # R2: a semester left validates nothing; its averages are shown for information only
    DecisionCode.DEF: "non acquise (défaillance), moyenne pour information",
    DecisionCode.DEM: "non acquise (démission), moyenne pour information",
    DecisionCode.ABAN: "non acquise (abandon), moyenne pour information",
}
RCUE_WORDS = {
    DecisionCode.ADM: "validée", DecisionCode.ADJ: "validée par le jury",
    DecisionCode.ADSUP: "validée par un niveau supérieur", DecisionCode.AJ: "non validée",
    DecisionCode.ATT: "en attente",
    DecisionCode.DEF: "non validée (défaillance)", DecisionCode.DEM: "non validée (démission)",
    DecisionCode.ABAN: "non validée (abandon)",
}
AWAITED = " Ce qui est attendu : {reason}."


def result_words(code, words=RESULT_WORDS) -> str:
    return words.get(code, "sans résultat") if code else "sans résultat"


def letter_sentence(row: ReportRow, report: Report) -> str:
    """Return the decision in plain French: the decision recorded (a provisional UE result for an odd jury)."""
    if not report.scope.decides_year:
        return ("Voici vos résultats du semestre, arrêtés par le jury. Ils restent provisoires jusqu'au jury "
                "de fin d'année, qui décide des compensations.")
    if not row.recorded:
        return NO_DECISION
    sentence = YEAR_SENTENCES.get(row.recorded, NO_DECISION)
    if row.recorded in (DecisionCode.ATT, DecisionCode.ATJ, DecisionCode.RAT) and row.year_reason:
        sentence += AWAITED.format(reason=row.year_reason.rstrip("."))  # the letter says what is awaited
    return sentence


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


def letters_html(*, report: Report, session: JurySession | None) -> str:
    from jury.letters import letters_html as html

    return html(report=report, session=session)


OBSERVATION_CHARS = 90


def pv_observations(report: Report, session: JurySession | None) -> tuple[dict[int, str], list[dict]]:
    """Return the PV's observations: per student, the jury's reasons for its overrides, shortened (« … voir
    annexe n ») and the annex listing them in full. A closed jury's come from its record; an open one's are live."""
    from jury.records import current_record, overrides_of

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


def letters_pdf(*, report: Report, session: JurySession | None) -> bytes:
    """Return every student's decision letter in one PDF, each on whole pages of its own (`jury.letters`)."""
    from jury.letters import letters_pdf as letters

    return letters(report=report, session=session)
