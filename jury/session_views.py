"""The jury's actions on a session: open it, accept the proposals, override, close, reopen, publish, export
(the next year's enrolments: jury.next_year_views). Each view: access check, form, one service call, redirect
or render."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from butgmp.ratelimit import documents_rate_limited
from butgmp.spreadsheets import attachment
from grading.models import JuryRecordDocument, JurySession, Student
from grading.naming import jury_label
from grading.selectors.jury_records import current_record
from grading.services.errors import ServiceError
from jury import decisions, exports, letters, pdf, sessions
from jury.access import JuryAction, check
from jury.attestations import NONE_ELIGIBLE, NOT_CLOSED, attestations_pdf, session_attestations
from jury.documents import stored_document
from jury.forms import OverrideForm, ReopenForm, SessionForm
from jury.records import session_report
from jury.scope import scope_of_session
from jury.sheet import student_sheet
from jury.subjects import last_enrolment, subjects_for
from jury.views import XLSX, rights, scope_or_404

OPENED = "Jury ouvert ({jury}) : vous pouvez enregistrer ses décisions."
ACCEPTED = "{count} proposition(s) enregistrée(s) comme décisions du jury : {codes}."
ACCEPTED_NONE = "Aucune proposition à enregistrer : rien n'a été enregistré."
ACCEPT_BLOCKED = "En attente, non enregistrés ({count}) : {names}. Réglez les blocages ou décidez pour eux."
ACCEPT_ALREADY = "{count} étudiant(s) avaient déjà une décision : elle est gardée."
OVERRIDDEN = "Décision {code} enregistrée pour {student} ({subject})."
SUBJECT_WORDS = {"annee": "année BUT {subject}, {year}", "RCUE": "RCUE {subject}, {year}", "UE": "{subject}, {year}"}
CLOSED = "Jury clos : ses semestres sont verrouillés."
REOPENED = "Jury rouvert : ses semestres sont déverrouillés."
PDF = "application/pdf"


def session_or_404(request, pk: int, action: JuryAction) -> JurySession:
    """Return the jury session once the user may act on it: a jury member only on their promotions' juries."""
    check(request.user, action)
    session = get_object_or_404(JurySession, pk=pk)
    check(request.user, action, instances=session.semester_instances.select_related("semester"))
    return session


def report_url(session: JurySession) -> str:
    return reverse("jury:report", args=scope_of_session(session).url_args)


@login_required
@require_POST
def session_create(request, kind, pk):
    scope = scope_or_404(request, kind, pk)
    check(request.user, JuryAction.DECIDE, instances=scope.instances)
    form = SessionForm(request.POST, instances=scope.instances)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("jury:report", *scope.url_args)
    try:
        session = sessions.session_create(semester_instances=list(scope.instances), user=request.user,
                                          **form.cleaned_data)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, OPENED.format(jury=jury_label(session, scope.instances)))
    return redirect("jury:report", *scope.url_args)


@login_required
@require_GET
def session_detail(request, pk):
    session = session_or_404(request, pk, JuryAction.READ)
    return redirect(report_url(session))


def subject_words(level: str, subject: str, scope) -> str:
    """Name a decision's subject plainly: « année BUT 2, 2026-2027 », « UE UE3.1, 2026-2027 »."""
    words = SUBJECT_WORDS.get(level, "{subject}, {year}")
    return words.format(subject=subject, year=scope.academic_year)


def counts_words(counts: list[tuple[str, int]]) -> str:
    return ", ".join(f"{code} {count}" for code, count in counts)


@login_required
@require_POST
def proposals_accept(request, pk):
    """First POST: show what will be recorded (how many decisions of each code, who is left aside and why);
    the second, confirmed with the plan's fingerprint, records it."""
    session = session_or_404(request, pk, JuryAction.DECIDE)
    if request.POST.get("confirmer") != "1":
        plan = decisions.proposals_plan(session=session)
        return render(request, "jury/proposals_preview.html", {
            "session": session, "scope": scope_of_session(session), "plan": plan, "report_url": report_url(session)})
    try:
        result = decisions.proposals_accept(session=session, user=request.user,
                                            expected=request.POST.get("plan", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if result.recorded:
            messages.success(request, ACCEPTED.format(count=result.recorded, codes=counts_words(result.counts)))
        else:
            messages.info(request, ACCEPTED_NONE)
        if result.blocked:
            messages.warning(request, ACCEPT_BLOCKED.format(count=len(result.blocked), names=", ".join(result.blocked)))
        if result.already:
            messages.info(request, ACCEPT_ALREADY.format(count=result.already))
    return redirect(report_url(session))


@login_required
@require_POST
def decision_override(request, pk, student_pk):
    session = session_or_404(request, pk, JuryAction.DECIDE)
    scope = scope_of_session(session)
    student = get_object_or_404(Student, pk=student_pk)
    enrolment = last_enrolment(student=student, instance_ids=scope.ids)
    if enrolment is None:
        raise Http404
    form = OverrideForm(request.POST, subjects=subjects_for(enrolment))
    if form.is_valid():
        data = form.cleaned_data
        try:
            decisions.decision_override(enrolment=enrolment, level=data["level"], subject=data["subject_code"],
                                        code=data["code"], reason=data["reason"], user=request.user,
                                        session=session)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, OVERRIDDEN.format(code=data["code"], student=student, subject=subject_words(
                data["level"], data["subject_code"], scope)))
            return redirect("jury:sheet", *scope.url_args, student.pk)
    return render(request, "jury/sheet.html", {
        "scope": scope, "sheet": student_sheet(scope=scope, student=student), "session": session,
        "override_form": form, **rights(request.user)}, status=400)


@login_required
@require_POST
def session_close(request, pk):
    session = session_or_404(request, pk, JuryAction.DECIDE)
    try:
        sessions.session_close(session=session, user=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, CLOSED)
    return redirect(report_url(session))


@login_required
@require_POST
def session_reopen(request, pk):
    session = session_or_404(request, pk, JuryAction.REOPEN)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, sessions.REOPEN_REASON_REQUIRED)
        return redirect(report_url(session))
    try:
        sessions.session_reopen(session=session, user=request.user, reason=form.cleaned_data["reason"])
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, REOPENED)
    return redirect(report_url(session))



@login_required
@require_POST
def session_publish(request, pk):
    """The jury's former publishing address: answered with a redirect keeping the POST to the one route
    (`portal:jury_publication`, whose rule is the scolarité's)."""
    check(request.user, JuryAction.READ)
    response = HttpResponseRedirect(reverse("portal:jury_publication", args=[pk]))
    response.status_code = 308
    return response


def _download(content: bytes, *, extension: str, session: JurySession, name: str) -> HttpResponse:
    scope = scope_of_session(session)
    semesters = "-".join(f"S{n}" for n in scope.numbers)
    response = HttpResponse(content, content_type=PDF if extension == "pdf" else XLSX)
    response["Content-Disposition"] = attachment(
        f"{name}-{scope.programme.code}-{semesters}-{session.date:%Y-%m-%d}.{extension}")
    return response


@login_required
@require_GET
@documents_rate_limited
def pv_pdf(request, pk):
    session = session_or_404(request, pk, JuryAction.READ)
    content = (stored_document(session=session, kind=JuryRecordDocument.Kind.PV)
               or pdf.pv_pdf(report=session_report(session), session=session))
    return _download(content, extension="pdf", session=session, name="pv-jury")


@login_required
@require_GET
@documents_rate_limited
def pv_xlsx(request, pk):
    session = session_or_404(request, pk, JuryAction.READ)
    content = exports.pv_workbook(report=session_report(session), session=session)
    return _download(content, extension="xlsx", session=session, name="pv-jury")


@login_required
@require_GET
@documents_rate_limited
def letters_pdf(request, pk):
    session = session_or_404(request, pk, JuryAction.READ)
    content = (stored_document(session=session, kind=JuryRecordDocument.Kind.LETTERS)
               or letters.letters_pdf(report=session_report(session), session=session))
    return _download(content, extension="pdf", session=session, name="lettres-decision")


@login_required
@require_GET
def attestations(request, pk):
    """The attestations de réussite a closed year jury's record gives: the list, each one's PDF, all of them."""
    session = session_or_404(request, pk, JuryAction.READ)
    items = session_attestations(session=session)
    return render(request, "jury/attestations.html", {
        "session": session, "items": items, "closed": current_record(session) is not None,
        "scope": scope_of_session(session), "not_closed": NOT_CLOSED, "none_eligible": NONE_ELIGIBLE})


@login_required
@require_GET
@documents_rate_limited
def attestations_download(request, pk):
    session = session_or_404(request, pk, JuryAction.READ)
    student = request.GET.get("etudiant", "")
    if student and not student.isdigit():
        raise Http404("Étudiant inconnu.")
    items = session_attestations(session=session, student_id=int(student) if student else None)
    if not items:  # nothing to print: the page says why
        messages.error(request, NOT_CLOSED if current_record(session) is None else NONE_ELIGIBLE)
        return redirect("jury:attestations", session.pk)
    content = attestations_pdf(session=session, items=items)
    name = f"attestation-{items[0].ine}" if student else "attestations-reussite"
    return _download(content, extension="pdf", session=session, name=name)
