"""Staff pages about students' results: publication, bulletins (one student, a whole semester), accounts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from butgmp.ratelimit import documents_rate_limited
from butgmp.spreadsheets import attachment
from grading.access import Action, can, check_access, instance_or_404, may_set_department, responsible_module_ids
from grading.models import BulletinBatch, Enrolment, JurySession
from grading.naming import jury_label
from grading.selectors.bulletin_settings import bulletin_settings as current_bulletin_settings
from grading.selectors.grade_entry import enrolments, semester_overview
from grading.services.bulletin_settings import bulletin_settings_update
from grading.services.errors import ServiceError
from portal.access import check_publish_decisions
from portal.accounts import student_accounts_create
from portal.bulletins import bulletin_document
from portal.forms import BulletinVersionForm, PublicationForm, StudentAccountsForm
from portal.links import site_url
from portal.publication import evaluations_publish, jury_publish
from portal.selectors import first_semester, recent_batches, semester_juries
from portal.tasks import UNFINISHED, batch_start

PUBLISHED = "{count} évaluation(s) publiée(s) ; {notified} courriel(s) d'avis mis en file d'envoi."
WITHDRAWN = "{count} évaluation(s) retirée(s) : leurs notes ne sont plus visibles des étudiants."
NOTHING_CHANGED = "Rien n'a changé : ces évaluations étaient déjà dans cet état."
JURY_PUBLISHED = "Décisions publiées ({session}) ; {notified} courriel(s) d'avis mis en file d'envoi."
NO_ACCOUNT = ("{count} étudiant(s) concerné(s) n'ont pas encore de compte : aucun courriel pour eux. "
              "<a href=\"{url}\">Créer leurs comptes</a>.")
DECLINED = "{count} étudiant(s) ont un compte sans adresse électronique ou ont désactivé les avis : aucun courriel."
BATCH_STARTED = "Production des bulletins lancée : la page se met à jour toute seule."
BATCH_RUNNING = "Une production de ces bulletins est déjà en cours : la voici, la page se met à jour toute seule."
BATCH_ALREADY_MADE = "Ces bulletins sont déjà produits à partir des mêmes résultats : téléchargez-les ci-dessous."
SETTINGS_SAVED = "Réglages des bulletins enregistrés : ils valent pour les bulletins produits désormais."
ACCOUNTS_DONE = "{sent} lien(s) envoyé(s) ({created} compte(s) créé(s), {resent} lien(s) renvoyé(s))."
ACCOUNTS_ACTIVE = "Déjà actif, rien envoyé : {names}."
ACCOUNTS_NO_EMAIL = "Sans adresse électronique, aucun compte créé : {names}."
ACCOUNTS_LOGIN_TAKEN = "Identifiant (INE) déjà pris par un autre compte : {names}."


def _names(students) -> str:
    return ", ".join(str(s) for s in students)


# ---------------------------------------------------------------- publication


def _unreached(request, done, instance) -> None:
    """Say who the notices did not reach: students without an account (a link to create them), without an address."""
    if done.without_account:
        url = reverse("grading:enrolment_list", args=[instance.pk]) if instance is not None else ""
        messages.warning(request, format_html(NO_ACCOUNT, count=done.without_account, url=url))
    if done.declined:
        messages.info(request, DECLINED.format(count=done.declined))


@login_required
@require_http_methods(["GET", "POST"])
def publication(request, pk):
    """List the semester's evaluations with their publication state, and publish or withdraw them."""
    instance = instance_or_404(request, pk, Action.BROWSE)
    user = request.user
    may_setup = can(user, Action.SETUP, semester_instance=instance)
    form = PublicationForm(request.POST or None, semester_instance=instance)
    if request.method == "POST" and form.is_valid():
        module = form.module_of_target()
        if module is None:
            check_access(user, Action.SETUP, semester_instance=instance)
        else:
            check_access(user, Action.GRADE, semester_instance=instance, module=module)
        published = form.cleaned_data["published"]
        done = evaluations_publish(evaluations=form.evaluations(), published=published, user=user,
                                   base_url=site_url(request))
        if not done.changed:
            messages.info(request, NOTHING_CHANGED)
        elif published:
            messages.success(request, PUBLISHED.format(count=done.changed, notified=done.notified))
            _unreached(request, done, instance)
        else:
            messages.success(request, WITHDRAWN.format(count=done.changed))
        return redirect("portal:publication", instance.pk)
    owned = None if may_setup else responsible_module_ids(user, instance)
    sessions = semester_juries(semester_instance=instance) if may_setup else []
    return render(request, "portal/publication.html", {
        "instance": instance, "form": form, "may_setup": may_setup, "sessions": sessions,
        "modules": semester_overview(semester_instance=instance, module_ids=owned)})


@login_required
@require_POST
def jury_publication(request, pk):
    """Publish a closed jury's decisions to its students: the one route for it, from the publication page or the
    jury's page (the scolarité or Direction, once the jury is closed); back to the page it came from."""
    session = get_object_or_404(JurySession, pk=pk)
    check_publish_decisions(request.user)
    instance = first_semester(session=session)
    try:
        done = jury_publish(session=session, user=request.user, base_url=site_url(request))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, JURY_PUBLISHED.format(session=jury_label(session), notified=done.notified))
        _unreached(request, done, instance)
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    if instance is None:
        return redirect("grading:semester_list")
    return redirect("portal:publication", instance.pk)


# ---------------------------------------------------------------- bulletins


@login_required
@require_GET
@documents_rate_limited
def student_bulletin_pdf(request, pk, enrolment_pk):
    """One student's bulletin for this semester: the published version, or a working document."""
    instance = instance_or_404(request, pk, Action.RESULTS)
    enrolment = get_object_or_404(Enrolment.objects.select_related("student", "semester_instance__semester"),
                                  pk=enrolment_pk, semester_instance=instance)
    form = BulletinVersionForm(request.GET)
    response = HttpResponse(bulletin_document(enrolment=enrolment, draft=form.draft), content_type="application/pdf")
    suffix = "-travail" if form.draft else ""
    response["Content-Disposition"] = attachment(
        f"bulletin-S{enrolment.semester_instance.semester.number}-{enrolment.student.ine}{suffix}.pdf")
    return response


@login_required
@require_http_methods(["GET", "POST"])
def bulletin_batches(request, pk):
    """Start a whole semester's bulletins in the background; show progress and the finished PDFs."""
    instance = instance_or_404(request, pk, Action.RESULTS)
    form = BulletinVersionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        batch, started = batch_start(semester_instance=instance, draft=form.draft, user=request.user)
        if started:
            messages.success(request, BATCH_STARTED)
        else:
            messages.info(request, BATCH_RUNNING if batch.status in UNFINISHED else BATCH_ALREADY_MADE)
        return redirect("portal:bulletin_batches", instance.pk)
    batches = recent_batches(semester_instance=instance)
    running = any(b.status in (BulletinBatch.Status.QUEUED, BulletinBatch.Status.RUNNING) for b in batches)
    return render(request, "portal/bulletin_batches.html", {
        "instance": instance, "form": form, "batches": batches, "running": running,
        "settings": current_bulletin_settings(), "may_set": may_set_department(request.user),
        "enrolments": enrolments(semester_instance=instance)})


@login_required
@require_POST
def bulletin_settings(request, pk):
    """Direction chooses whether the bulletins show each student's rank (a department setting, journaled)."""
    instance = instance_or_404(request, pk, Action.RESULTS)
    try:
        bulletin_settings_update(user=request.user, show_rank=request.POST.get("show_rank") == "on")
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, SETTINGS_SAVED)
    return redirect("portal:bulletin_batches", instance.pk)


@login_required
@require_GET
def bulletin_batch_download(request, pk, batch_pk):
    instance = instance_or_404(request, pk, Action.RESULTS)
    batch = get_object_or_404(BulletinBatch, pk=batch_pk, semester_instance=instance,
                              status=BulletinBatch.Status.DONE)
    response = HttpResponse(bytes(batch.pdf), content_type="application/pdf")
    suffix = "-travail" if batch.draft else ""
    response["Content-Disposition"] = attachment(
        f"bulletins-S{instance.semester.number}-{instance.academic_year}{suffix}.pdf")
    return response


# ---------------------------------------------------------------- accounts


@login_required
@require_POST
def student_accounts(request, pk):
    """Create the accounts of the ticked students (or of the whole semester) and send their links."""
    instance = instance_or_404(request, pk, Action.SETUP)
    form = StudentAccountsForm(request.POST, semester_instance=instance)
    if not form.is_valid():
        for error in form.non_field_errors():
            messages.error(request, error)
        if "enrolments" in form.errors:
            raise PermissionDenied  # an enrolment of another semester: a forged form
        return redirect("grading:enrolment_list", instance.pk)
    done = student_accounts_create(students=form.students(), user=request.user, base_url=site_url(request))
    messages.success(request, ACCOUNTS_DONE.format(sent=done.sent, created=len(done.created),
                                                   resent=len(done.resent)))
    for students, message in ((done.active, ACCOUNTS_ACTIVE), (done.no_email, ACCOUNTS_NO_EMAIL),
                              (done.login_taken, ACCOUNTS_LOGIN_TAKEN)):
        if students:
            messages.warning(request, message.format(names=_names(students)))
    return redirect("grading:enrolment_list", instance.pk)
