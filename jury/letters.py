"""The decision letters, one per student, as they can be posted: the institution's letterhead, the student's name
and postal address (when known), the decision in plain words and what follows from it, the UE and RCUE table with
ECTS, « Fait à …, le … », the president's name and title, the appeal rights.

A letter is never split across two students: each starts a page, and its pages are numbered on their own
(« page 1 / 2 », a CSS page group per letter). A letter that does not fit on one page is laid out again with a
smaller table; the second layout also prints each letter's own page count (WeasyPrint has no per-group total).
"""
from collections import Counter
from dataclasses import dataclass

from django.template.loader import render_to_string

from butgmp.formats import format_decimal
from grading.engine.codes import DecisionCode
from grading.models import InstitutionIdentity, JurySession, Student
from grading.selectors.institution import institution_identity, letterhead_context
from jury.pdf import issue_date, pdf_context, president_title
from jury.report import Report, ReportRow

NEXT_YEAR = "Vous pouvez vous inscrire en {next}e année de BUT (BUT{next}) à la prochaine rentrée universitaire."
NEXT_PAS1NCI = (" L'UE non acquise reste à valider : vous la suivrez à nouveau l'an prochain, en plus des "
                "enseignements de BUT{next}.")
DUT_REACHED = (" Vous avez acquis les 120 premiers crédits européens du BUT : le jury vous attribue le DUT ; "
               "une attestation de réussite vous est délivrée sur demande.")
BUT_REACHED = (" Vous avez acquis les 180 crédits européens du BUT : le jury vous attribue le diplôme ; une "
               "attestation de réussite vous est délivrée sur demande.")
REPEAT = ("Vous pouvez vous réinscrire en BUT{year} l'an prochain : vous ne repassez pas les UE acquises "
          "(capitalisées) et suivez à nouveau les enseignements des UE non acquises.")
NAR_REASONS = "Le jury motive ainsi sa décision : {reason}."
NAR_ADVICE = ("Le jury vous invite à prendre rendez-vous avec le service d'orientation et d'insertion "
              "professionnelle de l'université{head} pour construire votre réorientation : une autre formation "
              "de l'université, un BTS, une formation en alternance ou la validation des acquis de l'expérience "
              "peuvent vous être présentés. Les crédits européens acquis vous restent acquis.")
LEFT = "Pour toute question sur votre situation, adressez-vous au secrétariat du département."
AWAIT = "Une nouvelle lettre vous sera adressée dès que le jury se sera prononcé."
PASSING = {DecisionCode.ADM, DecisionCode.PASD, DecisionCode.PAS1NCI, DecisionCode.ADJ}
WAITING = {DecisionCode.ATT, DecisionCode.ATJ, DecisionCode.RAT}
LEFT_CODES = {DecisionCode.DEF, DecisionCode.DEM, DecisionCode.ABAN, DecisionCode.EXCLU}
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


@dataclass
class LetterLine:
    label: str
    average: str
    result: str
    ects: str = ""


def consequences(row: ReportRow, report: Report, identity: InstitutionIdentity) -> list[str]:
    """Return what follows from the year decision, in plain French (paragraphs)."""
    code, year = row.recorded, report.scope.year
    if not report.scope.decides_year or not code:
        return []
    if code in PASSING:
        text = NEXT_YEAR.format(next=year + 1) if year < 3 else ""
        if code == DecisionCode.PAS1NCI and year < 3:
            text += NEXT_PAS1NCI.format(next=year + 1)
        if year == 3 and row.but:  # R18, as the engine found it (a closed jury: as its record says)
            text += BUT_REACHED
        elif year == 2 and row.dut:
            text += DUT_REACHED
        return [text.strip()] if text.strip() else []
    if code == DecisionCode.RED:
        return [REPEAT.format(year=year)]
    if code == DecisionCode.NAR:
        head = f" et avec {identity.head_name} ({identity.head_title})" if identity.head_name else ""
        paragraphs = [NAR_REASONS.format(reason=row.year_reason.rstrip("."))] if row.year_reason else []
        return paragraphs + [NAR_ADVICE.format(head=head)]
    if code in WAITING:
        return [AWAIT]
    if code in LEFT_CODES:
        return [LEFT]
    return []


def letter_items(report: Report, session: JurySession | None, identity: InstitutionIdentity) -> list[dict]:
    titles = {c.code: c.title for c in report.ue_columns}
    rcue_names = {c.key: c.competence for c in report.rcue_columns}
    addresses = dict(Student.objects.filter(pk__in=[row.student.pk for row in report.rows])
                     .exclude(postal_address="").values_list("pk", "postal_address"))
    letters = []
    for number, row in enumerate(report.rows, start=1):
        address = addresses.get(row.student.pk, "")
        letters.append({
            "number": number, "row": row, "sentence": letter_sentence(row, report),
            "consequences": consequences(row, report, identity),
            "address_lines": [line.strip() for line in address.splitlines() if line.strip()],
            "ues": [LetterLine(label=f"{code} – {titles.get(code, '')}".rstrip(" –"), average=cell.average_fr,
                               result=result_words(cell.code), ects=format_decimal(cell.ects))
                    for code, cell in row.ues.items()],
            "rcues": [LetterLine(label=f"{rcue_names.get(key, key)} ({key})", average=cell.average_fr,
                                 result=result_words(cell.code, RCUE_WORDS)) for key, cell in row.rcues.items()],
        })
    return letters


def letters_html(*, report: Report, session: JurySession | None, identity: InstitutionIdentity | None = None,
                 compact: frozenset[int] = frozenset(), pages: dict[int, int] | None = None) -> str:
    identity = identity if identity is not None else institution_identity()
    letters = letter_items(report, session, identity)
    for letter in letters:
        letter["compact"] = letter["number"] in compact
        letter["pages"] = (pages or {}).get(letter["number"], 1)
    president = session.president if session else identity.president_name
    return render_to_string("jury/pdf/jury_letters.html", {
        **pdf_context(report, session), **letterhead_context(identity), "letters": letters,
        "issued": issue_date(session), "president": president,
        "president_title": president_title(president, identity),
        "show_signature": bool(identity.signature) and president_title(president, identity) == identity.president_title
        and bool(identity.president_name)})


def letters_pdf(*, report: Report, session: JurySession | None, identity: InstitutionIdentity | None = None
                ) -> bytes:
    """Return every student's letter in one PDF: each letter on whole pages of its own, numbered per letter."""
    from weasyprint import HTML  # imported here: loading WeasyPrint is slow and only PDFs need it

    identity = identity if identity is not None else institution_identity()
    document = HTML(string=letters_html(report=report, session=session, identity=identity)).render()
    counts = letter_pages(document)
    if any(count > 1 for count in counts.values()):
        long = frozenset(number for number, count in counts.items() if count > 1)
        document = HTML(string=letters_html(report=report, session=session, identity=identity,
                                            compact=long)).render()
        counts = letter_pages(document)
        if any(count != 1 for count in counts.values()):  # still long: print each letter's own page count
            document = HTML(string=letters_html(report=report, session=session, identity=identity, compact=long,
                                                pages=counts)).render()
    return document.write_pdf()


def letter_pages(document) -> dict[int, int]:
    """Return each letter's number of pages in a rendered document (the letters' anchors `lettre-N`)."""
    counts: Counter = Counter()
    current = None
    for page in document.pages:
        found = [int(a.split("-")[1]) for a in page.anchors if a.startswith("lettre-")]
        current = min(found) if found else current
        if current is not None:
            counts[current] += 1
    return dict(counts)
