"""Direction's page for the institution's identity on every document (letterhead, logo, signature, appeal rights):
a form, one service call (`grading.services.institution.identity_update`, journaled)."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from grading.models import InstitutionIdentity
from grading.selectors.institution import institution_identity, logo_data_uri, signature_data_uri
from grading.services.errors import ServiceError
from grading.services.institution import TEXT_FIELDS, identity_update, png_read
from jury.access import JuryAction, check

SAVED = "Identité de l'établissement enregistrée : les prochains documents la portent."


class IdentityForm(forms.ModelForm):
    logo_file = forms.FileField(label="Logo (PNG, 1 Mo au plus)", required=False)
    remove_logo = forms.BooleanField(label="Retirer le logo", required=False)
    signature_file = forms.FileField(label="Signature numérisée du président (PNG, 1 Mo au plus, facultative)",
                                     required=False)
    remove_signature = forms.BooleanField(label="Retirer la signature", required=False)

    class Meta:
        model = InstitutionIdentity
        fields = list(TEXT_FIELDS)
        widgets = {"postal_address": forms.Textarea(attrs={"rows": 3}),
                   "appeal_text": forms.Textarea(attrs={"rows": 4})}

    def images(self) -> dict:
        """Return the checked PNG bytes of the uploaded images (errors added to the form)."""
        found = {}
        for field in ("logo", "signature"):
            upload = self.cleaned_data.get(f"{field}_file")
            if upload:
                try:
                    found[field] = png_read(upload, field=field)
                except ServiceError as exc:
                    self.add_error(f"{field}_file", exc.message)
        return found


@login_required
@require_http_methods(["GET", "POST"])
def identity_edit(request):
    check(request.user, JuryAction.IDENTITY)
    identity = institution_identity()
    form = IdentityForm(request.POST or None, request.FILES or None, instance=identity)
    if request.method == "POST" and form.is_valid():
        images = form.images()
        if form.is_valid():
            try:
                identity_update(user=request.user, **{f: form.cleaned_data[f] for f in TEXT_FIELDS}, **images,
                                remove_logo=form.cleaned_data["remove_logo"],
                                remove_signature=form.cleaned_data["remove_signature"])
            except ServiceError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, SAVED)
                return redirect("jury:identity")
    identity = institution_identity()  # the saved one: the form's instance may hold refused values
    return render(request, "jury/identity.html", {"form": form, "logo_uri": logo_data_uri(identity),
                                                  "signature_uri": signature_data_uri(identity)})
