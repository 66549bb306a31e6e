"""Jury decisions (R16, R19): recorded dated and signed, superseded but never changed or deleted.

Every decision, whatever records it (the jury's pages, "Valider les propositions", the admin), goes through
`decision_record`: a code the level allows, a reason when the code is the jury's own, a signing user, a subject
of the student's programme, parcours and year, an open jury, an unlocked semester.
"""
import hashlib
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from grading.engine.codes import DecisionCode, JuryLevel
from grading.models import Enrolment, JuryDecision, JurySession, Student
from grading.services.errors import SemesterLocked, ensure_unlocked
from jury.history import in_force
from jury.report import jury_report
from jury.scope import scope_of_session
from jury.subjects import Subjects, check_subject

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
# What a jury member may put in place of a proposal, always with a reason (the jury's pages).
OVERRIDE_CODES = {
    JuryLevel.YEAR: [DecisionCode.ADM, DecisionCode.ADJ, DecisionCode.PASD, DecisionCode.PAS1NCI, DecisionCode.RED,
                     DecisionCode.NAR, DecisionCode.RAT, DecisionCode.ATJ, DecisionCode.EXCLU, DecisionCode.ABL,
                     DecisionCode.DEF, DecisionCode.DEM, DecisionCode.ABAN, DecisionCode.ATT],
    JuryLevel.RCUE: [DecisionCode.ADJ],
    # ATT: the decision deferred, a grade or a piece awaited (R16; at an odd-semester jury, on a UE, R13)
    JuryLevel.UE: [DecisionCode.ADJ, DecisionCode.ATT],
}

ERROR_CODE_NOT_ALLOWED = "Le code {code} ne peut pas être attribué à un(e) {level}."
ERROR_REASON_REQUIRED = "La décision {code} doit être motivée : indiquez le motif."
ERROR_OVERRIDE_REASON = "Une décision du jury autre que la proposition doit être motivée : indiquez le motif."
ERROR_PLAN_CHANGED = ("Les propositions ont changé depuis l'aperçu (une note, une décision ou un blocage) : rien n'a "
                      "été enregistré, relisez le nouvel aperçu.")
ERROR_NO_USER = "Une décision de jury doit être signée par un utilisateur."
ERROR_SESSION_CLOSED = ("Le jury du {date} est clos : ses décisions ne peuvent plus être modifiées "
                        "(seule la direction peut le rouvrir).")
ERROR_NOT_IN_SESSION = "Cet étudiant n'est pas inscrit dans un semestre que ce jury décide."
ERROR_ODD_JURY = ("Un jury de semestre impair (S{number}) ne décide que des UE : une décision de {level} y est "
                  "refusée (R13).")


def level_label(level: str) -> str:
    return dict(JuryLevel.choices()).get(level, level)


def check_session(*, session: JurySession | None, enrolment: Enrolment) -> None:
    """Refuse a decision for a closed jury, or for a student the jury does not decide."""
    if session is None:
        return
    if session.is_closed:
        raise ValidationError(ERROR_SESSION_CLOSED.format(date=f"{session.date:%d/%m/%Y}"))
    if not session.semester_instances.filter(pk=enrolment.semester_instance_id).exists():
        raise ValidationError(ERROR_NOT_IN_SESSION)


def check_decision(*, enrolment: Enrolment, level: str, subject: str, code: str, user, reason: str,
                   subjects: Subjects | None = None) -> None:
    """Raise ValidationError, with a French message, unless the decision may be recorded as given."""
    if code not in ALLOWED_CODES.get(level, ()):
        raise ValidationError(ERROR_CODE_NOT_ALLOWED.format(code=code, level=level_label(level)))
    number = enrolment.semester_instance.semester.number
    if level != JuryLevel.UE and number % 2:  # R13: RCUE and year decisions belong to the even semester's jury
        raise ValidationError(ERROR_ODD_JURY.format(number=number, level=level_label(level)))
    if code in REASON_REQUIRED and not reason.strip():
        raise ValidationError(ERROR_REASON_REQUIRED.format(code=code))
    if user is None or not user.is_authenticated:
        raise ValidationError(ERROR_NO_USER)
    check_subject(enrolment=enrolment, level=level, subject=subject, subjects=subjects)


def decision_record(*, enrolment: Enrolment, level: str, subject: str, code: str, user, reason: str = "",
                    session: JurySession | None = None) -> JuryDecision:
    """Record a jury decision; the one in force on the same student and subject that academic year (whichever of
    the student's enrolments or juries recorded it: the S3 jury, then the year jury) is superseded, not changed
    (R19)."""
    check_decision(enrolment=enrolment, level=level, subject=subject, code=code, user=user, reason=reason)
    with transaction.atomic():
        if session is not None:  # serialise the jury's writes, and read its state inside the transaction
            session = JurySession.objects.select_for_update().get(pk=session.pk)
        check_session(session=session, enrolment=enrolment)
        try:
            ensure_unlocked(enrolment.semester_instance)
        except SemesterLocked as exc:
            raise ValidationError(exc.message) from exc
        # Serialise the student's decisions (two juries, two members recording at once) so that one decision
        # stays in force per student and subject, whichever enrolment or jury of the year recorded it (R19).
        Student.objects.select_for_update().filter(pk=enrolment.student_id).first()
        previous = in_force(enrolment=enrolment, level=level, subject=subject).first()
        decision = JuryDecision(enrolment=enrolment, level=level, subject=subject, code=code,
                                reason=reason.strip(), user=user, supersedes=previous, session=session)
        decision.full_clean()
        decision.save()
    return decision


def decision_override(*, enrolment: Enrolment, level: str, subject: str, code: str, reason: str, user,
                      session: JurySession) -> JuryDecision:
    """Record the jury's own decision in place of the proposal: a code the jury may give, always with a reason."""
    if code not in OVERRIDE_CODES.get(level, ()):
        raise ValidationError(ERROR_CODE_NOT_ALLOWED.format(code=code, level=level_label(level)))
    if not reason.strip():
        raise ValidationError(ERROR_OVERRIDE_REASON)
    return decision_record(enrolment=enrolment, level=level, subject=subject, code=code, user=user, reason=reason,
                           session=session)


@dataclass(frozen=True)
class AcceptResult:
    recorded: int  # students whose proposal was recorded
    blocked: list[str]  # students left out: a blocker (ATT, incomplete evaluation, missing RCUE…)
    already: int  # students who already had a decision in force
    counts: list[tuple[str, int]] = field(default_factory=list)  # decisions recorded per code


@dataclass(frozen=True)
class LeftAside:
    name: str
    why: str


@dataclass(frozen=True)
class AcceptPlan:
    """What « Valider les propositions » will record, shown before it does (and checked when it does)."""

    decisions: list[tuple[Enrolment, str, str, str, str]]  # (enrolment, level, subject, code, student's name)
    blocked: list[LeftAside]  # students left aside, each with why
    already: list[LeftAside]  # students whose decision in force is kept

    @property
    def counts(self) -> list[tuple[str, int]]:
        """How many decisions of each code will be recorded."""
        return sorted(Counter(code for _, _, _, code, _ in self.decisions).items())

    @property
    def students(self) -> int:
        return len({enrolment.student_id for enrolment, *_ in self.decisions})

    @property
    def fingerprint(self) -> str:
        """A short digest of the plan: confirming refuses when the plan changed since it was shown."""
        lines = sorted(f"{e.pk}:{level}:{subject}:{code}" for e, level, subject, code, _ in self.decisions)
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def proposals_plan(*, session: JurySession) -> AcceptPlan:
    """Return what accepting the proposals would record now: nothing is written."""
    scope = scope_of_session(session)
    return _plan(jury_report(scope=scope), scope)


def _plan(report, scope) -> AcceptPlan:
    # in force per student and subject over the academic year, whichever enrolment or jury recorded it (R19)
    in_force = set(JuryDecision.objects.filter(
        enrolment__student_id__in=[r.student.pk for r in report.rows], superseded_by__isnull=True,
        enrolment__semester_instance__academic_year_id=scope.academic_year.pk)
        .values_list("enrolment__student_id", "level", "subject"))
    decisions, blocked, already = [], [], []
    for row in sorted(report.rows, key=lambda r: r.sort_name):
        name = f"{row.student.last_name.upper()} {row.student.first_name}"
        if row.blockers:
            blocked.append(LeftAside(name=name, why=", ".join(row.blockers)))
            continue
        proposed = [(level, subject, code) for level, subject, code in _proposed(row, scope)
                    if code in ALLOWED_CODES[level]]
        missing = [p for p in proposed if (row.student.pk, p[0], p[1]) not in in_force]
        if proposed and not missing:
            already.append(LeftAside(name=name, why=f"décision déjà enregistrée ({row.recorded or 'UE'}), gardée"))
        decisions += [(row.enrolment, level, subject, code, name) for level, subject, code in missing]
    return AcceptPlan(decisions=decisions, blocked=blocked, already=already)


def proposals_accept(*, session: JurySession, user, expected: str | None = None) -> AcceptResult:
    """Record, as this jury's decisions, the proposal of every student without a blocker and not yet decided.

    A year jury records the proposed year decision (R16); an odd-semester jury the provisional UE codes (R13).
    Students already decided keep their decision: accepting the rest never supersedes an override. `expected`
    is the fingerprint of the plan the user confirmed: when the plan changed since, nothing is recorded.
    """
    if user is None or not user.is_authenticated:
        raise ValidationError(ERROR_NO_USER)
    scope = scope_of_session(session)
    report = jury_report(scope=scope)
    with transaction.atomic():
        session = JurySession.objects.select_for_update().get(pk=session.pk)
        if session.is_closed:
            raise ValidationError(ERROR_SESSION_CLOSED.format(date=f"{session.date:%d/%m/%Y}"))
        for instance in {row.enrolment.semester_instance for row in report.rows}:
            try:
                ensure_unlocked(instance)
            except SemesterLocked as exc:
                raise ValidationError(exc.message) from exc
        plan = _plan(report, scope)
        if expected is not None and expected != plan.fingerprint:
            raise ValidationError(ERROR_PLAN_CHANGED)
        to_create = [JuryDecision(enrolment=enrolment, level=level, subject=subject, code=code, user=user,
                                  session=session) for enrolment, level, subject, code, _ in plan.decisions]
        JuryDecision.objects.bulk_create(to_create)
    return AcceptResult(recorded=plan.students, blocked=[b.name for b in plan.blocked], already=len(plan.already),
                        counts=plan.counts)


def _proposed(row, scope) -> list[tuple[str, str, str]]:
    """Return the (level, subject, code) a row's proposal stands for."""
    if scope.decides_year:
        return [(JuryLevel.YEAR, str(scope.year), row.proposal)] if row.proposal else []
    return [(JuryLevel.UE, code, cell.code) for code, cell in row.ues.items()
            if cell.code in (DecisionCode.ADM, DecisionCode.AJ) and not cell.capitalised]
