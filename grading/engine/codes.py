"""Codes and thresholds of the BUT rules (rules.md). No Django import here."""
from decimal import Decimal
from enum import StrEnum


class _Choices(StrEnum):
    """A StrEnum that can feed Django `choices` without importing Django."""

    @classmethod
    def labels(cls) -> dict[str, str]:
        return {}

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        labels = cls.labels()
        return [(m.value, labels.get(m.value, m.value)) for m in cls]


class GradeCode(_Choices):
    """R1: codes a grade cell may hold instead of a number."""

    ABS = "ABS"  # unjustified absence: counts as 0
    EXC = "EXC"  # excused: left out for that student
    ATT = "ATT"  # pending: left out, blocks every automatic decision

    @classmethod
    def labels(cls):
        return {"ABS": "ABS – absence injustifiée (0)", "EXC": "EXC – excusé", "ATT": "ATT – en attente"}


class DecisionCode(_Choices):
    ADM = "ADM"
    CMP = "CMP"
    AJ = "AJ"
    ADSUP = "ADSUP"
    ADJ = "ADJ"
    ADJR = "ADJR"
    ATT = "ATT"
    PASD = "PASD"
    RED = "RED"
    NAR = "NAR"
    DEF = "DEF"
    DEM = "DEM"
    ABAN = "ABAN"
    PAS1NCI = "PAS1NCI"
    RAT = "RAT"
    ATJ = "ATJ"
    EXCLU = "EXCLU"
    ABL = "ABL"

    @classmethod
    def labels(cls):
        return {
            "ADM": "ADM – admis",
            "CMP": "CMP – acquis par compensation",
            "AJ": "AJ – ajourné",
            "ADSUP": "ADSUP – validé par un niveau supérieur",
            "ADJ": "ADJ – validé par le jury",
            "ADJR": "ADJR – acquis dans un RCUE validé par le jury",
            "ATT": "ATT – en attente",
            "PASD": "PASD – passage de droit",
            "RED": "RED – redoublement",
            "NAR": "NAR – non autorisé à redoubler",
            "DEF": "DEF – défaillant",
            "DEM": "DEM – démission",
            "ABAN": "ABAN – abandon",
            "PAS1NCI": "PAS1NCI – passage avec un niveau de compétence non validé",
            "RAT": "RAT – en attente de rattrapage",
            "ATJ": "ATJ – en attente pour raison de justificatif",
            "EXCLU": "EXCLU – exclu",
            "ABL": "ABL – année blanche",
        }


class EnrolmentStatus(_Choices):
    ENROLLED = "inscrit"
    DEF = "DEF"
    DEM = "DEM"
    ABAN = "ABAN"

    @classmethod
    def labels(cls):
        return {"inscrit": "Inscrit", "DEF": "Défaillant", "DEM": "Démission", "ABAN": "Abandon"}

    @classmethod
    def left_label(cls, status: str) -> str:
        """« Démission », « Défaillant » or « Abandon » for a student who left (R2); "" while enrolled."""
        return "" if status == cls.ENROLLED else cls.labels().get(status, status)


class JuryLevel(_Choices):
    UE = "UE"
    RCUE = "RCUE"
    YEAR = "annee"

    @classmethod
    def labels(cls):
        return {"UE": "UE", "RCUE": "RCUE", "annee": "Année"}


class ModuleKind(StrEnum):
    RESOURCE = "resource"
    SAE = "sae"
    PORTFOLIO = "portfolio"
    STAGE = "stage"


class BonusMode(StrEnum):
    PERCENT = "percent"  # R5 default: UE' = min(20, UE × (1 + p/100))
    POINTS = "points"  # department option: UE' = min(20, UE + p)


PASS_MARK = Decimal("10")  # R7, R9
RCUE_FLOOR = Decimal("8")  # R14
MAX_SCORE = Decimal("20")
BONUS_MIN = Decimal("0.25")  # R5
BONUS_MAX = Decimal("5")
MAX_SEMESTER_REPEATS = 4  # R17
DUT_ECTS = Decimal("120")  # R18
BUT_ECTS = Decimal("180")

# Codes by which a UE counts as validated (R15) and carries its ECTS.
UE_VALIDATED = frozenset({DecisionCode.ADM, DecisionCode.CMP, DecisionCode.ADJ, DecisionCode.ADJR,
                          DecisionCode.ADSUP})
# Codes by which an RCUE counts as validated (R14).
RCUE_VALIDATED = frozenset({DecisionCode.ADM, DecisionCode.ADJ, DecisionCode.ADSUP})
# Statuses that end the year with their own decision (R16).
STATUS_DECISIONS = {EnrolmentStatus.DEF: DecisionCode.DEF, EnrolmentStatus.DEM: DecisionCode.DEM,
                    EnrolmentStatus.ABAN: DecisionCode.ABAN}
