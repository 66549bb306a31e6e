"""The users page: Direction lists, creates, disables staff accounts, sets their roles, sign-in and modules."""
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts import selectors
from accounts.access import direction_required
from accounts.forms import (
    ActiveForm,
    InstanceChoiceForm,
    ResponsibilityForm,
    RolesForm,
    SignInForm,
    StaffCreateForm,
)
from accounts.policy import cas_enabled
from accounts.services.responsibilities import responsibility_add, responsibility_remove
from accounts.services.users import (
    SignIn,
    staff_user_create,
    user_active_set,
    user_roles_set,
    user_sign_in_set,
)
from butgmp.people import person_name
from butgmp.roles import STAFF_ROLES, Role, has_role
from grading.services.errors import ServiceError

CREATED_LINK = "Compte de {name} créé : le lien pour choisir son mot de passe part par courriel ({email})."
CREATED_CAS = "Compte de {name} créé : connexion par le CAS de l'université."
SAVED = "Modifications de {name} enregistrées."
UNCHANGED = "Rien n'a changé."


def _base_url(request) -> str:
    return settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")


def _account(pk: int):
    try:
        return selectors.staff_account(pk=pk)
    except selectors.get_user_model().DoesNotExist as exc:
        raise Http404("Compte inconnu.") from exc


@direction_required
def users(request):
    return render(request, "accounts/user_list.html", {"rows": selectors.staff_accounts(), "cas": cas_enabled()})


@direction_required
def user_create(request):
    form = StaffCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = staff_user_create(by=request.user, new=form.new_staff(), base_url=_base_url(request))
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            text = CREATED_LINK if form.cleaned_data["sign_in"] == SignIn.LINK else CREATED_CAS
            messages.success(request, text.format(name=person_name(user), email=user.email))
            return redirect("accounts:user_detail", user.pk)
    return render(request, "accounts/user_create.html", {"form": form})


@direction_required
def user_detail(request, pk):
    account = _account(pk)
    profile = getattr(account, "account_profile", None)
    staff_roles = {str(role) for role in STAFF_ROLES}
    instances = selectors.open_semester_instances()
    chooser = InstanceChoiceForm(request.GET or None, instances=instances)
    instance = chooser.cleaned_data.get("semestre") if chooser.is_valid() else None
    return render(request, "accounts/user_detail.html", {
        "account": account,
        "roles_form": RolesForm(initial={"roles": [g.name for g in account.groups.all() if g.name in staff_roles]}),
        "sign_in_form": SignInForm(initial={"cas_id": profile.cas_id if profile else "",
                                            "local_login_allowed": bool(profile and profile.local_login_allowed)}),
        "active_form": ActiveForm(initial={"active": not account.is_active}),
        "chooser": chooser, "instance": instance,
        "responsibility_form": ResponsibilityForm(semester_instance=instance) if instance else None,
        "responsibilities": selectors.user_responsibilities(user=account),
        "sits_on_juries": has_role(account, Role.JURY),
        "jury_promotions": selectors.user_jury_promotions(user=account),
        "jury_every_promotion": selectors.jury_every_promotion(),
        "journal": selectors.user_journal(user=account),
    })


def _done(request, account, changed: bool):
    messages.success(request, SAVED.format(name=person_name(account)) if changed else UNCHANGED)


@direction_required
@require_POST
def user_roles(request, pk):
    account = _account(pk)
    form = RolesForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez au moins un rôle.")
    else:
        try:
            _done(request, account, user_roles_set(by=request.user, user=account, roles=form.cleaned_data["roles"]))
        except ServiceError as exc:
            messages.error(request, exc.message)
    return redirect("accounts:user_detail", account.pk)


@direction_required
@require_POST
def user_sign_in(request, pk):
    account = _account(pk)
    form = SignInForm(request.POST)
    if form.is_valid():
        try:
            _done(request, account, user_sign_in_set(by=request.user, user=account, **form.cleaned_data))
        except ServiceError as exc:
            messages.error(request, exc.message)
    return redirect("accounts:user_detail", account.pk)


@direction_required
@require_POST
def user_active(request, pk):
    account = _account(pk)
    form = ActiveForm(request.POST)
    if form.is_valid():
        try:
            _done(request, account, user_active_set(by=request.user, user=account, **form.cleaned_data))
        except ServiceError as exc:
            messages.error(request, exc.message)
    return redirect("accounts:user_detail", account.pk)


@direction_required
@require_POST
def responsibility_create(request, pk, instance_pk):
    account = _account(pk)
    instance = get_object_or_404(selectors.open_semester_instances(), pk=instance_pk)
    form = ResponsibilityForm(request.POST, semester_instance=instance)
    if not form.is_valid():
        messages.error(request, "Choisissez un module de ce semestre.")
    else:
        try:
            responsibility_add(by=request.user, semester_instance=instance, user=account, **form.cleaned_data)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            _done(request, account, True)
    return redirect(reverse("accounts:user_detail", args=[account.pk]) + f"?semestre={instance.pk}")


@direction_required
@require_POST
def responsibility_delete(request, pk, responsibility_pk):
    account = _account(pk)
    responsibility = get_object_or_404(selectors.user_responsibilities_query(user=account), pk=responsibility_pk)
    try:
        responsibility_remove(by=request.user, responsibility=responsibility)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        _done(request, account, True)
    return redirect("accounts:user_detail", account.pk)
