"""Programme findings: a programme checked against the BUT rules, on the selector's output: report, never fix.

Each check is a pure function of a `ProgrammeSummary` returning `Finding`s whose messages are in French.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from butgmp.formats import format_decimal
from curriculum.selectors import ProgrammeSummary, SemesterSummary, UESummary
from curriculum.totals import CoefTotal, add_totals

ERROR = "error"
WARNING = "warning"

SEMESTER_ECTS = Decimal("30")
# R12: each pole weighs between 40 % and 60 % of a UE's coefficients (bounds included).
POLE_MIN = Decimal("0.40")
POLE_MAX = Decimal("0.60")
# R12: in BUT3 the rule may hold over the two UEs of a competence instead.
PAIR_RULE_YEAR = 3

CODE_ECTS = "ects_total"
CODE_LEVEL_YEAR = "level_year"
CODE_DUPLICATE_LEVEL = "duplicate_level"
CODE_RCUE_PAIR = "rcue_pair"
CODE_POLE_WEIGHT = "pole_weight"
CODE_NO_COEFFICIENT = "no_coefficient"
CODE_UNKNOWN_COEFFICIENTS = "unknown_coefficients"


@dataclass(frozen=True)
class Finding:
    level: str  # ERROR or WARNING
    code: str
    message: str
    semester: int | None = None
    ue: str = ""

    @property
    def is_error(self) -> bool:
        return self.level == ERROR

    @property
    def level_label(self) -> str:
        return "Erreur" if self.is_error else "Avertissement"


def _level_desc(ue: UESummary) -> str:
    return f"{ue.competence_code} niveau {ue.level}"


def check_ects(programme: ProgrammeSummary) -> list[Finding]:
    """Each semester's UE ECTS sum to 30."""
    findings = []
    for semester in programme.semesters:
        if semester.ects != SEMESTER_ECTS:
            findings.append(Finding(
                ERROR, CODE_ECTS,
                f"S{semester.number} : les ECTS des UE totalisent {format_decimal(semester.ects)} au lieu de 30.",
                semester=semester.number))
    return findings


def check_competence_levels(programme: ProgrammeSummary) -> list[Finding]:
    """Each UE refers to one competence level, matching the BUT year for common competences."""
    findings = []
    for semester in programme.semesters:
        by_level: dict[str, list[UESummary]] = defaultdict(list)
        for ue in semester.ues:
            by_level[ue.rcue_key].append(ue)
            if ue.competence_is_common and ue.level != semester.year:
                findings.append(Finding(
                    WARNING, CODE_LEVEL_YEAR,
                    f"{ue.code} : la compétence commune {ue.competence_code} est au niveau {ue.level} "
                    f"alors que S{semester.number} relève de la {semester.year}e année (niveau {semester.year} "
                    "attendu).",
                    semester=semester.number, ue=ue.code))
        for ues in by_level.values():
            for first, second in _overlapping_pairs(ues):
                findings.append(Finding(
                    ERROR, CODE_DUPLICATE_LEVEL,
                    f"{first.code} et {second.code} : deux UE de S{semester.number} se réfèrent au même niveau "
                    f"({_level_desc(first)}) ; une UE ne peut appartenir qu'à un seul RCUE.",
                    semester=semester.number, ue=first.code))
    return findings


def _overlapping_pairs(ues: list[UESummary]) -> list[tuple[UESummary, UESummary]]:
    """Return the pairs of UEs followed by a common parcours (no parcours: every parcours)."""
    pairs = []
    for i, first in enumerate(ues):
        for second in ues[i + 1:]:
            a, b = set(first.parcours_codes), set(second.parcours_codes)
            if not a or not b or a & b:
                pairs.append((first, second))
    return pairs


def _partner_number(number: int) -> int:
    return number + 1 if number % 2 else number - 1


def rcue_partners(semester: SemesterSummary, programme: ProgrammeSummary) -> dict[int, UESummary | None]:
    """Map each UE id of a semester to its RCUE partner in the other semester of the year (R8), or None."""
    other = programme.semester(_partner_number(semester.number))
    by_key = {ue.rcue_key: ue for ue in other.ues} if other else {}
    return {ue.id: by_key.get(ue.rcue_key) for ue in semester.ues}


def check_rcues(programme: ProgrammeSummary) -> list[Finding]:
    """Each UE has its RCUE pair (same competence and level) in the other semester of its year (R8)."""
    findings = []
    for semester in programme.semesters:
        partner_number = _partner_number(semester.number)
        has_partner_semester = programme.semester(partner_number) is not None
        partners = rcue_partners(semester, programme)
        for ue in semester.ues:
            if partners[ue.id] is not None:
                continue
            reason = "" if has_partner_semester else f" (le semestre S{partner_number} n'est pas dans le programme)"
            findings.append(Finding(
                ERROR, CODE_RCUE_PAIR,
                f"{ue.code} ({_level_desc(ue)}) : aucune UE de S{partner_number} ne se réfère à la même compétence "
                f"au même niveau, le RCUE est incomplet{reason}.",
                semester=semester.number, ue=ue.code))
    return findings


def _within_bounds(resources: CoefTotal, total: CoefTotal) -> bool:
    # Exact decimal comparison, no division: 40 % and 60 % are allowed (R12).
    return POLE_MIN * total.known <= resources.known <= POLE_MAX * total.known


def _percent(part: Decimal, whole: Decimal) -> str:
    return format_decimal((part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def check_pole_weights(programme: ProgrammeSummary) -> list[Finding]:
    """R12: in each UE each pole weighs 40–60 % of the coefficients; in BUT3 the pair of UEs may hold it."""
    findings = []
    for semester in programme.semesters:
        partners = rcue_partners(semester, programme)
        for ue in semester.ues:
            resources, total = ue.resources.coefficient, ue.total.coefficient
            if not total.complete:
                continue  # reported by check_unknown_coefficients
            if total.known == 0:
                findings.append(Finding(
                    WARNING, CODE_NO_COEFFICIENT,
                    f"{ue.code} : aucun coefficient, le poids des pôles ressources et SAÉ (R12) ne peut pas être "
                    "vérifié.", semester=semester.number, ue=ue.code))
                continue
            if _within_bounds(resources, total):
                continue
            message = (f"{ue.code} : le pôle ressources pèse {_percent(resources.known, total.known)} % et le pôle "
                       f"SAÉ {_percent(ue.sae.coefficient.known, total.known)} % des coefficients, hors de "
                       "l'intervalle 40–60 % (R12).")
            partner = partners[ue.id]
            if semester.year == PAIR_RULE_YEAR and partner is not None:
                pair_resources = add_totals([resources, partner.resources.coefficient])
                pair_total = add_totals([total, partner.total.coefficient])
                if pair_total.complete and pair_total.known and _within_bounds(pair_resources, pair_total):
                    continue  # R12 holds over the two UEs of the competence (BUT3)
                if pair_total.complete and pair_total.known:
                    message += (f" Sur les deux UE de la compétence ({ue.code} et {partner.code}), le pôle "
                                f"ressources pèse {_percent(pair_resources.known, pair_total.known)} % : la règle "
                                "n'est pas respectée non plus.")
            findings.append(Finding(WARNING, CODE_POLE_WEIGHT, message, semester=semester.number, ue=ue.code))
    return findings


def check_unknown_coefficients(programme: ProgrammeSummary) -> list[Finding]:
    """Report the UEs whose source gives no coefficient for some modules."""
    findings = []
    for semester in programme.semesters:
        for ue in semester.ues:
            codes = ue.unknown_coefficient_modules
            if codes:
                findings.append(Finding(
                    WARNING, CODE_UNKNOWN_COEFFICIENTS,
                    f"{ue.code} : la source ne donne pas le coefficient de {', '.join(codes)} ; les totaux de l'UE "
                    "sont incomplets et le poids des pôles (R12) ne peut pas être vérifié.",
                    semester=semester.number, ue=ue.code))
    return findings


CHECKS = (check_ects, check_competence_levels, check_rcues, check_pole_weights, check_unknown_coefficients)


def check_programme(programme: ProgrammeSummary) -> list[Finding]:
    """Run every check; return the findings, errors first, then by semester."""
    findings = [finding for check in CHECKS for finding in check(programme)]
    return sorted(findings, key=lambda f: (not f.is_error, f.semester or 0))


def count_findings(findings: list[Finding]) -> dict[str, int]:
    errors = sum(1 for f in findings if f.is_error)
    return {"errors": errors, "warnings": len(findings) - errors, "total": len(findings)}
