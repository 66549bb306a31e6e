"""Grade sheets: download, upload with preview (conflicts to tick), confirmation, undo."""
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from butgmp.spreadsheets import attachment
from grading.access import Action, evaluation_or_404, instance_or_404
from grading.exports import evaluation_filename, evaluation_workbook, student_list_filename, student_list_workbook
from grading.forms.uploads import GradesUploadForm, ImportConfirmForm
from grading.imports import read_grades_upload
from grading.models import Enrolment, ImportBatch
from grading.previews import grade_import_arguments, grade_import_keep, grade_import_peek, grade_import_take
from grading.selectors.grade_entry import enrolments, enrolments_by_id, grid
from grading.services.errors import IMPORT_INVALID, ImportInvalid, ServiceError
from grading.services.grades import GradeDiff, grades_import
from grading.services.grades import import_undo as undo_grades_import
from grading.spreadsheet_reading import capped_errors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_DONE = "Import enregistré : {new} nouvelle(s) note(s), {changed} modifiée(s), {unchanged} inchangée(s)."
IMPORT_SET_ASIDE = ("{count} note(s) modifiée(s) depuis le téléchargement du fichier n'ont pas été touchées "
                    "(conflits non cochés).")
IMPORT_NOTHING = "Aucune note ne change : rien n'a été enregistré."
IMPORT_EXPIRED = "Cet aperçu a expiré : déposez à nouveau le fichier."
IMPORT_LOCKED = "Semestre verrouillé après son jury : aucun import n'est possible tant qu'il n'est pas déverrouillé."
UNDO_DONE = "Import annulé : {count} note(s) remises à leur valeur précédente."


# ---------------------------------------------------------------- spreadsheets


@login_required
@require_GET
def evaluation_export(request, pk):
    evaluation = evaluation_or_404(request, pk)
    rows = grid(semester_instance=evaluation.semester_instance, evaluations=[evaluation])
    response = HttpResponse(evaluation_workbook(evaluation=evaluation, rows=rows), content_type=XLSX)
    response["Content-Disposition"] = attachment(evaluation_filename(evaluation))
    return response


@login_required
@require_GET
def student_list_export(request, pk):
    """The semester's student list (INE, NIP, names, e-mail, parcours, groups), as the list import reads it."""
    instance = instance_or_404(request, pk, Action.SETUP)
    response = HttpResponse(student_list_workbook(enrolments=enrolments(semester_instance=instance)),
                            content_type=XLSX)
    response["Content-Disposition"] = attachment(student_list_filename(instance))
    return response


@dataclass(frozen=True)
class PreviewRow:
    enrolment: Enrolment
    old: str
    new: str
    formula_cell: str = ""


@dataclass(frozen=True)
class ConflictRow:
    enrolment: Enrolment
    at_export: str
    now: str
    in_file: str
    formula_cell: str = ""


def _preview_context(diff: GradeDiff, formulas: dict[int, str]) -> dict:
    ids = set(diff.versions)
    names = enrolments_by_id(ids=ids)

    def rows(items):
        return [PreviewRow(names[e], old, new, formulas.get(e, "")) for e, old, new in items]

    new, changed = rows(diff.new), rows(diff.changed)
    return {"new": new, "changed": changed, "unchanged": rows(diff.unchanged),
            "conflicts": [ConflictRow(names[c.enrolment_id], c.at_export, c.now, c.in_file,
                                      formulas.get(c.enrolment_id, "")) for c in diff.conflicts],
            "change_count": len(new) + len(changed), "formula_count": len(formulas)}


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_import(request, pk):
    """Upload a grade sheet: check every row, then show a preview kept server-side under a token."""
    evaluation = evaluation_or_404(request, pk)
    locked = evaluation.semester_instance.is_locked
    form = GradesUploadForm(request.POST or None, request.FILES or None)
    context = {"evaluation": evaluation, "instance": evaluation.semester_instance, "form": form, "errors": [],
               "locked": locked}
    if locked:  # show the lock instead of the form, and never read a file
        if request.method == "POST":
            messages.error(request, IMPORT_LOCKED)
        return render(request, "grading/import_upload.html", context)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        upload = read_grades_upload(file=file, evaluation=evaluation)
        if upload.errors:
            context["errors"] = capped_errors(upload.errors)
            messages.error(request, IMPORT_INVALID.format(count=len(upload.errors)))
            return render(request, "grading/import_upload.html", context)
        rows = [(r.enrolment_id, r.raw) for r in upload.rows]
        formulas = {r.enrolment_id: r.formula_cell for r in upload.rows if r.formula_cell}
        try:
            result = grades_import(evaluation=evaluation, rows=rows, user=request.user, filename=file.name,
                                   exported=upload.exported, dry_run=True)
        except ImportInvalid as exc:
            context["errors"] = capped_errors(exc.errors)
            return render(request, "grading/import_upload.html", context)
        diff = result.diff
        token = grade_import_keep(request.session, evaluation_id=evaluation.pk, filename=file.name, rows=rows,
                                  diff=diff, exported=upload.exported)
        context.update(_preview_context(diff, formulas))
        context.update({"confirm_form": ImportConfirmForm(initial={"token": token}), "filename": file.name})
        return render(request, "grading/import_preview.html", context)
    return render(request, "grading/import_upload.html", context)


@login_required
@require_POST
def evaluation_import_confirm(request, pk):
    """Save a previewed import (with the conflicts ticked): re-validated, refused if a grade changed since."""
    evaluation = evaluation_or_404(request, pk)
    token_form = ImportConfirmForm(request.POST)
    token = token_form.cleaned_data["token"] if token_form.is_valid() else ""
    pending = grade_import_peek(request.session, evaluation_id=evaluation.pk, token=token)
    if pending is None:
        messages.error(request, IMPORT_EXPIRED)
        return redirect("grading:evaluation_import", evaluation.pk)
    form = ImportConfirmForm(request.POST, conflicts=pending["conflicts"])
    accepted = form.cleaned_data["accept"] if form.is_valid() else []
    try:
        result = grades_import(evaluation=evaluation, user=request.user, accepted_conflicts=set(accepted),
                               **grade_import_arguments(pending))
    except ImportInvalid as exc:
        messages.error(request, exc.message)
        return render(request, "grading/import_upload.html", {
            "evaluation": evaluation, "instance": evaluation.semester_instance, "form": GradesUploadForm(),
            "errors": capped_errors(exc.errors)})
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("grading:evaluation_import", evaluation.pk)
    finally:
        grade_import_take(request.session, token=token)
    diff = result.diff
    if result.batch is None:
        messages.info(request, IMPORT_NOTHING)
    else:
        messages.success(request, IMPORT_DONE.format(new=len(diff.new), changed=len(diff.changed),
                                                     unchanged=len(diff.unchanged)))
    if diff.set_aside:
        messages.warning(request, IMPORT_SET_ASIDE.format(count=len(diff.set_aside)))
    return redirect("grading:evaluation_grid", evaluation.pk)


@login_required
@require_POST
def import_undo(request, pk, batch_pk):
    evaluation = evaluation_or_404(request, pk)
    batch = get_object_or_404(ImportBatch, pk=batch_pk, evaluation=evaluation)
    try:
        count = undo_grades_import(batch=batch, user=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, UNDO_DONE.format(count=count))
    return redirect(reverse("grading:evaluation_grid", args=[evaluation.pk]) + "#imports")
