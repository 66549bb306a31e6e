"""Direction's pages that change a programme: the semester table editor, its live findings and the new version of a
frozen programme.

Thin views: access, form, one service call (`curriculum.editing`, `curriculum.versions`) or one computation
(`curriculum.matrix_findings`), render. The texts the page's script shows are constants here, handed to it with
the cells' rules through `json_script`.
"""
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from curriculum import audit, cell_values, editing, versions
from curriculum.access import direction_required
from curriculum.errors import EditRefused
from curriculum.forms import NewVersionForm
from curriculum.matrix_findings import matrix_findings
from curriculum.matrix_form import HOURS_WITHOUT_COEFFICIENT, MatrixForm, level_choices
from curriculum.models import Programme
from curriculum.usage import programme_instances
from curriculum.views import _get_programme_or_404, _get_semester_or_404

SAVED = "{count} modification(s) enregistrée(s) en S{number} : {summary}"
VERSION_CREATED = ("Nouvelle version {code} créée à partir de {old} : les semestres ouverts à partir de {year} "
                   "l'utiliseront ; les semestres déjà ouverts gardent {old}.")
SUMMARY_SHOWN = 8

# What the page's script writes while the table is typed.
STATUS_CHANGED = "{count} modification(s) non enregistrée(s)"
STATUS_UNCHANGED = "Aucune modification"
STATUS_REFUSED = " · {count} case(s) refusée(s)"
SUBMIT_REFUSED = "{count} case(s) refusée(s) : corrigez-les avant d'enregistrer (rien n'a été envoyé)."
UNSAVED_WARNING = "Des modifications du tableau ne sont pas enregistrées."
NO_FINDING = "Aucun constat : ECTS, niveaux de compétence, RCUE et poids des pôles sont conformes."
FINDINGS_WAIT = "Vérifications en attente : {count} case(s) refusée(s) à corriger d'abord."
FINDINGS_FAILED = "Vérifications indisponibles pour le moment (réseau) : elles reprendront à la prochaine saisie."


def _summary(changes) -> str:
    lines = [str(c) for c in changes[:SUMMARY_SHOWN]]
    if len(changes) > SUMMARY_SHOWN:
        lines.append(f"… et {len(changes) - SUMMARY_SHOWN} autre(s)")
    return " ; ".join(lines)


@direction_required
@require_http_methods(["GET", "POST"])
def matrix_edit(request, code: str, number: int):
    programme = _get_programme_or_404(code)
    semester = _get_semester_or_404(programme, number)
    form = MatrixForm(request.POST or None, programme=programme, semester=semester,
                      levels=level_choices(programme), revision=audit.revision(programme.id))
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcome = editing.matrix_save(programme_code=code, semester_number=number, edit=form.edit,
                                          revision=data["revision"], user=request.user,
                                          confirmed_digest=data["digest"] if data["confirm"] else "")
        except EditRefused as exc:
            form.add_error(None, exc.message)
        else:
            if isinstance(outcome, editing.Saved):
                messages.success(request, SAVED.format(count=len(outcome.changes), number=number,
                                                       summary=_summary(outcome.changes)))
                return redirect(f"{reverse('curriculum:programme_detail', args=[code])}?semestre={number}")
            preview = outcome
    return render(request, "curriculum/matrix_edit.html", {
        "programme": programme,
        "semester": semester,
        "form": form,
        "sheet": form.sheet(),
        "preview": preview,
        "frozen": versions.frozen_message(programme_id=programme.id, code=programme.code),
        "instances": programme_instances(programme.id),
        "script_data": _script_data(code, number),
    })


def _script_data(code: str, number: int) -> dict:
    return {**cell_values.script_rules(),
            "findings_url": reverse("curriculum:matrix_findings", args=[code, number]),
            "texts": {"hours_without_coefficient": HOURS_WITHOUT_COEFFICIENT, "changed": STATUS_CHANGED,
                      "unchanged": STATUS_UNCHANGED, "refused": STATUS_REFUSED, "submit_refused": SUBMIT_REFUSED,
                      "unsaved": UNSAVED_WARNING, "no_finding": NO_FINDING, "findings_wait": FINDINGS_WAIT,
                      "findings_failed": FINDINGS_FAILED}}


@direction_required
@require_POST
def matrix_edit_findings(request, code: str, number: int):
    """Return, as JSON, the findings of the semester as the posted (unsaved) table makes it: nothing is written."""
    programme = _get_programme_or_404(code)
    semester = _get_semester_or_404(programme, number)
    form = MatrixForm(request.POST, programme=programme, semester=semester, levels=level_choices(programme),
                      revision=0)
    if not form.is_valid():
        return JsonResponse({"ok": False, "refused": len(form.errors),
                             "message": FINDINGS_WAIT.format(count=len(form.errors))})
    findings = matrix_findings(programme, semester_number=number, edit=form.edit, levels=form.levels)
    return JsonResponse({"ok": True, "findings": [
        {"level": f.level, "label": f.level_label, "code": f.code, "ue": f.ue, "message": f.message}
        for f in findings]})


@direction_required
@require_http_methods(["GET", "POST"])
def programme_new_version(request, code: str):
    programme = get_object_or_404(Programme, code=code)
    # Suggest the year after the last one the programme ran in: those semesters keep it.
    last = max([use.start_year for use in programme_instances(programme.pk)], default=programme.first_year)
    form = NewVersionForm(request.POST or None, initial={"first_year": last + 1})
    if request.method == "POST" and form.is_valid():
        try:
            copy = versions.programme_new_version(programme=programme, code=form.cleaned_data["code"],
                                                  first_year=form.cleaned_data["first_year"], user=request.user)
        except EditRefused as exc:
            form.add_error("code", exc.message)
        else:
            messages.success(request, VERSION_CREATED.format(code=copy.code, old=programme.code,
                                                             year=f"{copy.first_year}-{copy.first_year + 1}"))
            return redirect("curriculum:programme_detail", copy.code)
    return render(request, "curriculum/programme_new_version.html", {
        "programme": programme,
        "form": form,
        "frozen": versions.frozen_message(programme_id=programme.pk, code=programme.code),
    })

