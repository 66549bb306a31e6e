"""Direction's page assigning Jury-role users to promotions (programme × academic year), and the department's
choice that every jury member sits for every promotion; both journaled by their services."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from butgmp.roles import Role
from grading.models import AccessPolicy, JuryPromotion, SemesterInstance
from grading.services.errors import ServiceError
from grading.services.promotions import jury_every_promotion_set, promotion_members_set
from jury.access import JuryAction, check

SAVED = "Membres des jurys enregistrés ({count} promotion(s) modifiée(s))."


def promotion_keys() -> list[tuple]:
    """Return the promotions that have semesters: (programme, academic year), the latest year first."""
    rows = (SemesterInstance.objects.select_related("semester__programme", "academic_year")
            .order_by("-academic_year__start_year", "semester__programme__code"))
    return list({(i.semester.programme, i.academic_year): None for i in rows})


class MembersForm(forms.Form):
    every = forms.BooleanField(required=False, label="Chaque membre du jury siège pour toutes les promotions "
                                                     "(petit département)")

    def __init__(self, *args, promotions, jury_users, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.promotions = promotions
        for n, (programme, year) in enumerate(promotions):
            self.fields[f"p{n}"] = forms.ModelMultipleChoiceField(
                queryset=jury_users, required=False, label=f"{programme.code} {year}",
                widget=forms.CheckboxSelectMultiple, initial=current.get((programme.pk, year.pk), []))

    def promotion_fields(self):
        return [self[f"p{n}"] for n in range(len(self.promotions))]


@login_required
@require_http_methods(["GET", "POST"])
def jury_members(request):
    check(request.user, JuryAction.ASSIGN)
    promotions = promotion_keys()
    jury_users = User.objects.filter(groups__name=Role.JURY, is_active=True).order_by("last_name", "first_name")
    current: dict[tuple, list[int]] = {}
    for row in JuryPromotion.objects.all():
        current.setdefault((row.programme_id, row.academic_year_id), []).append(row.user_id)
    policy = AccessPolicy.objects.first()
    form = MembersForm(request.POST or None, promotions=promotions, jury_users=jury_users, current=current,
                       initial={"every": bool(policy and policy.jury_every_promotion)})
    if request.method == "POST" and form.is_valid():
        try:
            jury_every_promotion_set(value=form.cleaned_data["every"], user=request.user)
            changed = sum(promotion_members_set(programme=programme, academic_year=year,
                                                members=list(form.cleaned_data[f"p{n}"]), user=request.user)
                          for n, (programme, year) in enumerate(promotions))
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, SAVED.format(count=changed))
            return redirect("jury:members")
    return render(request, "jury/members.html", {"form": form})
