"""Importing absences from an attendance sheet: upload, every row checked (errors by row and column), a preview of
the half-days to add, then the confirmation writes them in one step (the secretariat, for a semester)."""
import datetime
import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from grading.absence_imports import read_absence_sheet
from grading.access import Action, instance_or_404
from grading.forms.uploads import ImportConfirmForm, StudentListUploadForm
from grading.services.attendance import absences_import
from grading.services.errors import ServiceError
from grading.spreadsheet_reading import capped_errors

KEPT = "grading_absence_imports"
INVALID = "Le fichier contient {count} erreur(s) : rien n'a été enregistré."
IMPORTED = "{count} demi-journée(s) d'absence enregistrée(s)."
EXPIRED = "Cet aperçu n'est plus disponible : déposez à nouveau le fichier."


class AbsenceSheetForm(StudentListUploadForm):
    file = forms.FileField(label="Feuille d'absences (.xlsx ou .csv)",
                           help_text="Colonnes : INE (ou NIP), Date (jj/mm/aaaa), Demi-journée (matin, après-midi ; "
                                     "vide : la journée). Une ligne par absence.")
    create_groups = None


@login_required
@require_http_methods(["GET", "POST"])
def absence_import(request, pk):
    instance = instance_or_404(request, pk, Action.SETUP)
    form = AbsenceSheetForm(request.POST or None, request.FILES or None)
    context = {"instance": instance, "form": form, "errors": []}
    if request.method == "POST" and form.is_valid() and not instance.is_locked:
        sheet = read_absence_sheet(file=form.cleaned_data["file"], semester_instance=instance)
        if sheet.errors:
            messages.error(request, INVALID.format(count=len(sheet.errors)))
            context["errors"] = capped_errors(sheet.errors)
            return render(request, "grading/absence_import.html", context, status=400)
        stored = dict(list(request.session.get(KEPT, {}).items())[-2:])
        token = secrets.token_urlsafe(16)
        stored[token] = {"instance": instance.pk, "rows": sheet.rows}
        request.session[KEPT] = stored
        preview = [(sheet.names[pk_], datetime.date.fromisoformat(day), half) for pk_, day, half in sheet.rows]
        return render(request, "grading/absence_import_preview.html", {
            "instance": instance, "preview": preview, "confirm_form": ImportConfirmForm(initial={"token": token})})
    return render(request, "grading/absence_import.html", context)


@login_required
@require_POST
def absence_import_confirm(request, pk):
    instance = instance_or_404(request, pk, Action.SETUP)
    form = ImportConfirmForm(request.POST)
    stored = request.session.get(KEPT, {})
    pending = stored.pop(form.data.get("token", ""), None) if form.is_valid() else None
    request.session[KEPT] = stored
    if pending is None or pending["instance"] != instance.pk:
        messages.error(request, EXPIRED)
        return redirect("grading:absence_import", instance.pk)
    try:
        added = absences_import(semester_instance=instance, rows=[tuple(r) for r in pending["rows"]],
                                user=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("grading:absence_import", instance.pk)
    messages.success(request, IMPORTED.format(count=added))
    return redirect("grading:roll_call_list", instance.pk)
