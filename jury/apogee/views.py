"""The Apogée pages: a programme's codes (Direction), the department's translation table (Direction), and the
export of a closed jury into a maquette (Direction, Secrétariat). Each: access, form, one service call, render."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from butgmp.spreadsheets import attachment
from curriculum.apogee_codes import ApogeeCodesInvalid, apogee_codes_save, apogee_objects, read_code_rows
from curriculum.models import Programme
from grading.models import ApogeeExport, JurySession
from grading.services.apogee_settings import apogee_settings_save, apogee_translations
from grading.services.errors import ServiceError
from grading.spreadsheet_reading import read_table
from jury.access import JuryAction, check
from jury.apogee.export import ExportRefused, apogee_export_save, export_settings
from jury.apogee.forms import ApogeeSettingsForm, CodeSheetForm, MaquetteForm, ProgrammeCodesForm
from jury.apogee.maquette import MAX_BYTES, TOO_LARGE, MaquetteError

CODES_SAVED = "{count} code(s) Apogée modifié(s)."
NO_CHANGE = "Aucun code modifié."
SETTINGS_SAVED = "{count} réglage(s) Apogée modifié(s)."
EXPORT_DONE = "Maquette remplie pour {count} étudiant(s) : téléchargez-la ci-dessous."
TEXT = "text/plain"


@login_required
@require_http_methods(["GET", "POST"])
def programme_codes(request, code: str):
    check(request.user, JuryAction.APOGEE_CODES)
    programme = get_object_or_404(Programme, code=code)
    objects = apogee_objects(programme=programme)
    form = ProgrammeCodesForm(request.POST if "save" in request.POST else None, objects=objects)
    sheet_form = CodeSheetForm(request.POST if "sheet" in request.POST else None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST":
        codes = None
        if "save" in request.POST and form.is_valid():
            codes = form.codes()
        elif "sheet" in request.POST and sheet_form.is_valid():
            table = read_table(sheet_form.cleaned_data["file"], allow_csv=True)
            if table.error:
                errors = [table.error]
            else:
                try:
                    codes = read_code_rows(table.rows, programme=programme)
                except ApogeeCodesInvalid as exc:
                    errors = exc.errors
        if codes is not None:
            try:
                changes = apogee_codes_save(programme=programme, codes=codes, user=request.user)
            except ApogeeCodesInvalid as exc:
                errors = exc.errors
            else:
                messages.success(request, CODES_SAVED.format(count=len(changes)) if changes else NO_CHANGE)
                return redirect("jury:apogee_codes", programme.code)
    return render(request, "jury/apogee/programme_codes.html", {
        "programme": programme, "form": form, "sheet_form": sheet_form, "errors": errors})


@login_required
@require_http_methods(["GET", "POST"])
def apogee_settings(request):
    check(request.user, JuryAction.APOGEE_CODES)
    current = export_settings()
    form = ApogeeSettingsForm(request.POST or None, translations=apogee_translations(),
                              initial={"semester_element": current.semester_element,
                                       "semester_code": current.semester_code})
    if request.method == "POST" and form.is_valid():
        try:
            count = apogee_settings_save(translations=form.translations(),
                                         semester_element=form.cleaned_data["semester_element"],
                                         semester_code=form.cleaned_data["semester_code"], user=request.user)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, SETTINGS_SAVED.format(count=count))
            return redirect("jury:apogee_settings")
    return render(request, "jury/apogee/settings.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def jury_export(request, pk: int):
    check(request.user, JuryAction.APOGEE_EXPORT)
    session = get_object_or_404(JurySession, pk=pk)
    form = MaquetteForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        if file.size > MAX_BYTES:
            form.add_error("file", TOO_LARGE.format(size=file.size, limit=MAX_BYTES))
        else:
            try:
                export = apogee_export_save(session=session, maquette=file.read(MAX_BYTES + 1), filename=file.name,
                                            user=request.user)
            except (ExportRefused, MaquetteError) as exc:
                form.add_error("file", str(exc))
            else:
                messages.success(request, EXPORT_DONE.format(count=export.report.get("students_filled", 0)))
                return redirect("jury:apogee_export", session.pk)
    exports = list(ApogeeExport.objects.filter(session=session).select_related("made_by").defer("content")[:10])
    return render(request, "jury/apogee/export.html", {"session": session, "form": form, "exports": exports})


@login_required
@require_GET
def export_download(request, pk: int):
    check(request.user, JuryAction.APOGEE_EXPORT)
    export = get_object_or_404(ApogeeExport, pk=pk)
    response = HttpResponse(bytes(export.content), content_type=TEXT)
    response["Content-Disposition"] = attachment(export.filename)
    return response

