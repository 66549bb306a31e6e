"""Reading a closed jury's outputs as printed, for the one-truth test (tests/jury/test_one_truth.py): the PV and
the letters (pdftotext), the .xlsx (openpyxl), `jury_report --format json`, the student's « Mes résultats » page,
the bulletin PDF (pdftotext) and JSON; each gives, per student, the figures it shows in the record's shape."""
import json
import re
import subprocess
from decimal import Decimal
from io import BytesIO, StringIO

from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from grading.engine.codes import DecisionCode
from grading.models import JuryRecord, JurySession, SemesterInstance, Student
from grading.selectors.jury_records import recorded_students
from jury import exports, pdf
from jury.letters import letters_pdf
from jury.records import session_report

CODES = {str(code) for code in DecisionCode}
AVERAGE = re.compile(r"^(\d+,\d\d|–|—)$")


def command(*args) -> dict:
    out = StringIO()
    call_command(*args, stdout=out)
    return json.loads(out.getvalue())


# ---------------------------------------------------------------- the record: what every output must say


def from_record(jury: int, record: JuryRecord | None = None) -> dict:
    """Return, per INE, the recorded figures (of the record in force, or `record`): UEs (average, code, ECTS),
    RCUEs (average, code), ECTS, decision."""
    students = recorded_students(record=record) if record else recorded_students(
        session=JurySession.objects.get(pk=jury))
    return {s.ine: {"ues": {u.code: (u.average, u.decision, u.ects) for u in s.ues},
                    "rcues": {r.key: (r.average, r.decision) for r in s.rcues},
                    "ects_year": s.ects_year, "ects_total": s.ects_total, "decision": s.decision}
            for s in students}


def without_ects(figures: dict) -> dict:
    return {ine: {**f, "ues": {code: ue[:2] for code, ue in f["ues"].items()}} for ine, f in figures.items()}


def point(text: str | None) -> str | None:
    """« 13,36 » -> « 13.36 »; a dash (no average) -> None."""
    return None if text in (None, "–", "—", "") else text.replace(",", ".")


def pdf_text(content: bytes, mode: str = "-layout") -> str:
    """The PDF's text: laid out as printed (tables), or `-raw` in the order it was written (wrapped cells)."""
    return subprocess.run(["pdftotext", mode, "-", "-"], input=content, capture_output=True,
                          check=True).stdout.decode()


# ---------------------------------------------------------------- each output, read as printed


def from_pv(jury: int, columns: tuple[list[str], list[str]]) -> dict:
    """Read the PV's table (pdftotext): per student, a line of averages, ECTS and decision, then one of codes."""
    session = JurySession.objects.get(pk=jury)
    lines = pdf_text(pdf.pv_pdf(report=session_report(session), session=session)).splitlines()
    ues, rcues = columns
    found = {}
    for i, line in enumerate(lines):
        ine = re.search(r"\b(\d{9}[A-Z]{2})\b", line)
        if ine is None or "INE" in line:
            continue
        tokens = line[ine.end():].split()
        at = [k for k, t in enumerate(tokens) if AVERAGE.match(t)][:len(ues) + len(rcues)]
        averages = [tokens[k] for k in at]
        # after the averages: ECTS of the year, ECTS in total, the decision, then the jury's observation, if any
        ects_year, ects_total, decision = tokens[at[-1] + 1:at[-1] + 4]
        codes = [t for t in lines[i + 1].split() if t in CODES]
        assert len(averages) == len(codes) == len(ues) + len(rcues), (line, lines[i + 1])
        found[ine.group(1)] = {
            "ues": {code: (point(averages[k]), codes[k]) for k, code in enumerate(ues)},
            "rcues": {key: (point(averages[len(ues) + k]), codes[len(ues) + k]) for k, key in enumerate(rcues)},
            "ects_year": Decimal(ects_year.replace(",", ".")), "ects_total": Decimal(ects_total.replace(",", ".")),
            "decision": decision}
    return found


def from_letters(jury: int) -> dict:
    """Read each letter (pdftotext): its UE lines (average, result in words, ECTS), RCUE lines, ECTS, sentence."""
    session = JurySession.objects.get(pk=jury)
    report = session_report(session)
    text = pdf_text(letters_pdf(report=report, session=session), "-raw")
    found = {}
    for letter in text.split("\f"):
        ine = re.search(r"INE (\d{9}[A-Z]{2})", letter)
        if ine is None:
            continue
        ues, rcues = {}, {}
        for match in re.finditer(r"^(UE\d\.\d) (\S+) (.+) (\d+(?:,\d+)?)$", letter, re.M):
            ues[match[1]] = (point(match[2]), match[3], Decimal(match[4].replace(",", ".")))
        competences = " ".join(letter.split("(RCUE")[1].split("Crédits européens")[0].split())
        for match in re.finditer(r"\(([A-Z0-9]+-\d)\) (\S+) ((?:[a-zéèêàâûôç(),'’-]+ ?)+)", competences):
            rcues[match[1]] = (point(match[2]), match[3].strip())
        ects = re.search(r"ECTS\) obtenus : (\d+(?:,\d+)?) cette année, (\d+(?:,\d+)?) au total", letter)
        found[ine[1]] = {"ues": ues, "rcues": rcues, "ects_year": Decimal(ects[1].replace(",", ".")),
                         "ects_total": Decimal(ects[2].replace(",", ".")), "letter": " ".join(letter.split())}
    return found


def from_workbook(jury: int, columns: tuple[list[str], list[str]]) -> dict:
    session = JurySession.objects.get(pk=jury)
    sheet = load_workbook(BytesIO(exports.pv_workbook(report=session_report(session), session=session))).active
    ues, rcues = columns
    found = {}
    for row in sheet.iter_rows(min_row=6, values_only=True):
        if not row[2]:
            break
        cells = [(None if average is None else f"{Decimal(average):.2f}", code)
                 for average, code in zip(row[6:-3:2], row[7:-3:2], strict=True)]
        found[row[2]] = {
            "ues": {code: cells[k] for k, code in enumerate(ues)},
            "rcues": {key: cells[len(ues) + k] for k, key in enumerate(rcues)},
            "ects_year": Decimal(str(row[-3])), "ects_total": Decimal(str(row[-2])), "decision": row[-1]}
    return found


def from_jury_report(jury: int) -> dict:
    printed = command("jury_report", "--jury", str(jury), "--format", "json")
    return {s["ine"]: {"ues": {code: (u["average"], u["code"], Decimal(str(u["ects"])))
                               for code, u in s["ues"].items()},
                       "rcues": {key: (r["average"], r["code"]) for key, r in s["rcues"].items()},
                       "ects_year": Decimal(str(s["ects"]["year"])), "ects_total": Decimal(str(s["ects"]["total"])),
                       "decision": s["decision"]} for s in printed["students"]}


def student_client(student: Student) -> Client:
    client = Client()
    client.force_login(Student.objects.get(pk=student.pk).user)
    return client


def from_bulletin_json(client: Client, s3: SemesterInstance, s4: SemesterInstance) -> dict:
    ues, rcues = {}, {}
    for instance in (s3, s4):
        data = client.get(reverse("portal:api_bulletin", args=[instance.pk])).json()
        assert data["decisions_publiees"] and not data["provisoire"]
        ues.update({u["code"]: (None if u["moyenne"] is None else f"{Decimal(str(u['moyenne'])):.2f}",
                                u["decision"], Decimal(str(u["ects"]))) for u in data["ues"]})
    rcues = {r["cle"]: (None if r["moyenne"] is None else f"{Decimal(str(r['moyenne'])):.2f}", r["decision"])
             for r in data["rcues"]}
    return {"ues": ues, "rcues": rcues, "ects_total": Decimal(str(data["ects_acquis"])),
            "decision": data["decision_annee"], "rcue_ues": {" + ".join(r["ues"]): r["cle"] for r in data["rcues"]}}


def from_page(client: Client, s3: SemesterInstance, s4: SemesterInstance, rcue_ues: dict) -> dict:
    """Read « Mes résultats » as shown: each semester's UE rows, its RCUE table, the year decision, ECTS."""
    html = client.get(reverse("portal:my_results")).content.decode()
    ues, rcues, semester_ects = {}, {}, Decimal(0)
    decision = None
    for instance in (s3, s4):
        section = html.split(f'id="semestre-{instance.pk}"')[1].split("</section>")[0]
        assert "décisions publiées" in section
        for row in re.findall(r'<tr class="ue-head">(.*?)</tr>', section, re.S):
            code = re.search(r"<th>(UE\d\.\d)", row)[1]
            average = re.search(r'class="num ue-average">([^<]*)', row)[1].strip()
            shown = re.search(r'class="ue-decision">(?:<abbr[^>]*>)?([^<]*)', row)[1].strip()
            ects = re.findall(r'<td class="num">\s*([\d,]+) / ', row)[0]
            ues[code] = (point(average), shown if shown in CODES else None, Decimal(ects.replace(",", ".")))
        semester_ects += Decimal(re.search(r"ECTS acquis dans ce semestre</td><td class=\"num\">([\d,]+)",
                                           section)[1].replace(",", "."))
        for row in re.findall(r'<tr class="rcue">(.*?)</tr>', section, re.S):
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
            code = re.sub(r"<[^>]+>", "", cells[2]).strip()
            rcues[rcue_ues[cells[0].strip()]] = (point(re.sub(r"<[^>]+>.*", "", cells[1]).strip()),
                                                 code if code in CODES else None)
        year = re.search(r'class="year-decision">.*?<strong>([^<]*)</strong>', section, re.S)
        decision = year[1] if year else decision
    total = Decimal(re.search(r"<strong>([\d,]+) ECTS acquis</strong>", html)[1].replace(",", "."))
    return {"ues": ues, "rcues": rcues, "ects_year": semester_ects, "ects_total": total, "decision": decision}


def from_bulletin_pdf(client: Client, s3: SemesterInstance, s4: SemesterInstance, rcue_ues: dict) -> dict:
    """Read each bulletin PDF (pdftotext): UE lines (average, code, ECTS), RCUE lines, the year decision, ECTS."""
    ues, rcues, ects_year, decision, total = {}, {}, Decimal(0), None, None
    for instance in (s3, s4):
        response = client.get(reverse("portal:my_bulletin_pdf", args=[instance.pk]))
        text = pdf_text(response.content)
        for line in text.splitlines():
            ue = re.match(r"^\s*(UE\d\.\d)\s", line)
            ects = re.search(r"(\S+)\s*/\s*(\d+(?:,\d+)?)\s*$", line)
            if ue and ects:
                tokens = line[:ects.start()].split()
                code = next((t for t in reversed(tokens) if t in CODES), None)
                # the student's average comes first, then the promotion's mean, minimum and maximum (from six)
                average = next((t for t in tokens if re.fullmatch(r"\d+,\d\d", t)), None)
                ues[ue[1]] = (point(average) if average else None, code, Decimal(ects[1].replace(",", ".")))
            pair = re.search(r"(UE\d\.\d \+ UE\d\.\d)\s+(\S+)(?:\s+([A-Z]+))?\s*$", line)
            if pair:
                rcues[rcue_ues[pair[1]]] = (point(pair[2]), pair[3] if pair[3] in CODES else None)
            year = re.search(r"Décision d'année \(BUT\d\) : (.+?)\s*$", line)
            if year:
                decision = year[1]
            acquired = re.search(r"ECTS acquis à ce jour : (\d+(?:,\d+)?)", line)
            if acquired:
                total = Decimal(acquired[1].replace(",", "."))
        # the table's foot is repeated on every page: the semester's ECTS once
        semester_ects = re.findall(r"ECTS acquis dans ce semestre\s*:?\s+(\d+(?:,\d+)?)", text)[-1]
        ects_year += Decimal(semester_ects.replace(",", "."))
    return {"ues": ues, "rcues": rcues, "ects_year": ects_year, "ects_total": total, "decision": decision}
