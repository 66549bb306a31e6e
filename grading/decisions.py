"""Jury decisions (R16, R19): recorded dated and signed, superseded but never changed or deleted."""
from django.core.exceptions import ValidationError
from django.db import transaction

from grading.engine.codes import DecisionCode, JuryLevel
from grading.models import Enrolment, JuryDecision

# Codes a jury may record at each level (R13, R16).
ALLOWED_CODES = {
    JuryLevel.UE: {DecisionCode.ADM, DecisionCode.CMP, DecisionCode.AJ, DecisionCode.ADJ, DecisionCode.ADJR,
                   DecisionCode.ADSUP, DecisionCode.ATT},
    JuryLevel.RCUE: {DecisionCode.ADM, DecisionCode.AJ, DecisionCode.ADJ, DecisionCode.ADSUP, DecisionCode.ATT},
    JuryLevel.YEAR: {DecisionCode.ADM, DecisionCode.PASD, DecisionCode.RED, DecisionCode.NAR, DecisionCode.ADJ,
                     DecisionCode.PAS1NCI, DecisionCode.RAT, DecisionCode.ATJ, DecisionCode.EXCLU, DecisionCode.ABL,
                     DecisionCode.DEF, DecisionCode.DEM, DecisionCode.ABAN, DecisionCode.ATT},
}
# R16: these are the jury's own decisions, never proposals: they always carry a reason.
REASON_REQUIRED = {DecisionCode.ADJ, DecisionCode.PAS1NCI, DecisionCode.RAT, DecisionCode.ATJ,
                   DecisionCode.EXCLU, DecisionCode.ABL}

ERROR_CODE_NOT_ALLOWED = "Le code {code} ne peut pas être attribué à un(e) {level}."
ERROR_REASON_REQUIRED = "La décision {code} doit être motivée : indiquez le motif."
ERROR_NO_USER = "Une décision de jury doit être signée par un utilisateur."


def current_decision(*, enrolment: Enrolment, level: str, subject: str) -> JuryDecision | None:
    """Return the decision in force on a subject (the one no later decision supersedes)."""
    return JuryDecision.objects.filter(enrolment=enrolment, level=level, subject=subject,
                                       superseded_by__isnull=True).first()


def decision_history(*, enrolment: Enrolment, level: str, subject: str) -> list[JuryDecision]:
    """Return every decision recorded on a subject, the latest first."""
    return list(JuryDecision.objects.filter(enrolment=enrolment, level=level, subject=subject)
                .select_related("user").order_by("-at", "-id"))


def decision_record(
    *, enrolment: Enrolment, level: str, subject: str, code: str, user, reason: str = ""
) -> JuryDecision:
    """Record a jury decision; the one in force on the same subject is superseded, not changed (R19)."""
    if code not in ALLOWED_CODES.get(level, ()):
        label = dict(JuryLevel.choices()).get(level, level)
        raise ValidationError(ERROR_CODE_NOT_ALLOWED.format(code=code, level=label))
    if code in REASON_REQUIRED and not reason.strip():
        raise ValidationError(ERROR_REASON_REQUIRED.format(code=code))
    if user is None or not user.is_authenticated:
        raise ValidationError(ERROR_NO_USER)
    with transaction.atomic():
        # Lock the subject's chain so two jury members recording at once cannot both supersede the same row.
        previous = (JuryDecision.objects.select_for_update(of=("self",))
                    .filter(enrolment=enrolment, level=level, subject=subject, superseded_by__isnull=True).first())
        decision = JuryDecision(enrolment=enrolment, level=level, subject=subject, code=code,
                                reason=reason.strip(), user=user, supersedes=previous)
        decision.full_clean()
        decision.save()
    return decision
