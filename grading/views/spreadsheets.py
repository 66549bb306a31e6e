"""Grade sheets: download, upload with preview, confirmation, undo."""
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grading import selectors, services
from grading.exports import evaluation_filename, evaluation_workbook
from grading.forms import (
    GradesUploadForm,
    ImportConfirmForm,
)
from grading.imports import read_grades_upload
from grading.models import Enrolment, ImportBatch
from grading.views.access import evaluation_or_404

IMPORT_DONE = "Import enregistré : {new} nouvelle(s) note(s), {changed} modifiée(s), {unchanged} inchangée(s)."
IMPORT_NOTHING = "Aucune note ne change : rien n'a été enregistré."
IMPORT_EXPIRED = "Cet aperçu a expiré : déposez à nouveau le fichier."
UNDO_DONE = "Import annulé : {count} note(s) remises à leur valeur précédente."
SESSION_IMPORTS = "grading_imports"


# ---------------------------------------------------------------- spreadsheets


@login_required
@require_GET
def evaluation_export(request, pk):
    evaluation = evaluation_or_404(request, pk)
    rows = selectors.grid(semester_instance=evaluation.semester_instance, evaluations=[evaluation])
    response = HttpResponse(evaluation_workbook(evaluation=evaluation, rows=rows),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{evaluation_filename(evaluation)}"'
    return response


def _preview_context(evaluation, diff):
    names = {e.pk: e for e in Enrolment.objects.filter(pk__in=diff.versions).select_related("student")}

    def named(items):
        return [(names[e], old, new) for e, old, new in items]

    return {"new": named(diff.new), "changed": named(diff.changed), "unchanged": named(diff.unchanged)}


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_import(request, pk):
    """Upload a grade sheet: check every row, then show a preview kept server-side under a token."""
    evaluation = evaluation_or_404(request, pk)
    form = GradesUploadForm(request.POST or None, request.FILES or None)
    context = {"evaluation": evaluation, "instance": evaluation.semester_instance, "form": form, "errors": []}
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        upload = read_grades_upload(file=file, evaluation=evaluation)
        if upload.errors:
            context["errors"] = upload.errors
            messages.error(request, services.IMPORT_INVALID.format(count=len(upload.errors)))
        else:
            rows = [(r.enrolment_id, r.raw) for r in upload.rows]
            try:
                result = services.grades_import(evaluation=evaluation, rows=rows, user=request.user,
                                                filename=file.name, dry_run=True)
            except services.ImportInvalid as exc:
                context["errors"] = exc.errors
            else:
                token = secrets.token_urlsafe(16)
                stored = request.session.get(SESSION_IMPORTS, {})
                stored = dict(list(stored.items())[-4:])  # keep the session small
                stored[token] = {"evaluation": evaluation.pk, "filename": file.name, "rows": rows,
                                 "versions": {str(k): v for k, v in result.diff.versions.items()}}
                request.session[SESSION_IMPORTS] = stored
                context.update(_preview_context(evaluation, result.diff))
                context.update({"confirm_form": ImportConfirmForm(initial={"token": token}),
                                "filename": file.name})
                return render(request, "grading/import_preview.html", context)
    return render(request, "grading/import_upload.html", context)


@login_required
@require_POST
def evaluation_import_confirm(request, pk):
    """Save a previewed import: re-validated, refused if a grade changed since the preview."""
    evaluation = evaluation_or_404(request, pk)
    form = ImportConfirmForm(request.POST)
    stored = request.session.get(SESSION_IMPORTS, {})
    token = form.cleaned_data["token"] if form.is_valid() else ""
    pending = stored.get(token)
    if pending is None or pending["evaluation"] != evaluation.pk:
        messages.error(request, IMPORT_EXPIRED)
        return redirect("grading:evaluation_import", evaluation.pk)
    try:
        result = services.grades_import(
            evaluation=evaluation, rows=[tuple(r) for r in pending["rows"]], user=request.user,
            filename=pending["filename"], expected_versions={int(k): v for k, v in pending["versions"].items()})
    except services.ImportInvalid as exc:
        messages.error(request, exc.message)
        return render(request, "grading/import_upload.html", {
            "evaluation": evaluation, "instance": evaluation.semester_instance, "form": GradesUploadForm(),
            "errors": exc.errors})
    except services.ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("grading:evaluation_import", evaluation.pk)
    finally:
        stored.pop(token, None)
        request.session[SESSION_IMPORTS] = stored
    diff = result.diff
    if result.batch is None:
        messages.info(request, IMPORT_NOTHING)
    else:
        messages.success(request, IMPORT_DONE.format(new=len(diff.new), changed=len(diff.changed),
                                                     unchanged=len(diff.unchanged)))
    return redirect("grading:evaluation_grid", evaluation.pk)


@login_required
@require_POST
def import_undo(request, pk, batch_pk):
    evaluation = evaluation_or_404(request, pk)
    batch = get_object_or_404(ImportBatch, pk=batch_pk, evaluation=evaluation)
    try:
        count = services.import_undo(batch=batch, user=request.user)
    except services.ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, UNDO_DONE.format(count=count))
    return redirect(reverse("grading:evaluation_grid", args=[evaluation.pk]) + "#imports")
