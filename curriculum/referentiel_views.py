"""Direction's page importing the référentiel de compétences: upload, preview (nothing written), confirm.

The previewed file waits in the session under a token; the confirmation applies exactly that file.
"""
import base64
import secrets

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from curriculum.access import direction_required
from curriculum.forms import ReferentielConfirmForm, ReferentielUploadForm
from curriculum.referentiel import MAX_BYTES, TOO_LARGE, ReferentielError, parse_referentiel
from curriculum.referentiel_import import ReferentielRefused, referentiel_import

SESSION_KEY = "referentiel_uploads"
EXPIRED = "Aperçu expiré : déposez à nouveau le fichier."
IMPORTED = "Référentiel importé : {changes} modification(s) enregistrée(s), {added} ajout(s)."
NOTHING = "Référentiel déjà à jour : rien à enregistrer."


@direction_required
@require_http_methods(["GET", "POST"])
def referentiel_upload(request):
    form = ReferentielUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        if file.size > MAX_BYTES:
            form.add_error("file", TOO_LARGE.format(size=file.size, limit=MAX_BYTES))
        else:
            data = file.read(MAX_BYTES + 1)
            try:
                report = referentiel_import(referentiel=parse_referentiel(data), user=request.user, dry_run=True)
            except (ReferentielError, ReferentielRefused) as exc:
                form.add_error("file", str(exc))
            else:
                token = secrets.token_urlsafe(16)
                request.session[SESSION_KEY] = {token: {"name": file.name,
                                                        "data": base64.b64encode(data).decode("ascii")}}
                return render(request, "curriculum/referentiel_preview.html", {
                    "report": report, "filename": file.name,
                    "confirm_form": ReferentielConfirmForm(initial={"token": token})})
    return render(request, "curriculum/referentiel_import.html", {"form": form})


@direction_required
@require_POST
def referentiel_confirm(request):
    form = ReferentielConfirmForm(request.POST)
    pending = request.session.pop(SESSION_KEY, {}).get(form.data.get("token", "")) if form.is_valid() else None
    if pending is None:
        messages.error(request, EXPIRED)
        return redirect("curriculum:referentiel_upload")
    try:
        report = referentiel_import(referentiel=parse_referentiel(base64.b64decode(pending["data"])),
                                    user=request.user)
    except (ReferentielError, ReferentielRefused) as exc:
        messages.error(request, str(exc))
        return redirect("curriculum:referentiel_upload")
    if report.changes:
        messages.success(request, IMPORTED.format(changes=len(report.changes), added=len(report.added)))
    else:
        messages.info(request, NOTHING)
    return redirect("curriculum:programme_list")
