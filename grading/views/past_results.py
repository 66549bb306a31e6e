"""The page importing results from before: upload, preview (with ScoDoc's ue_id mapping to correct), confirm, undo.

The file read waits in the session under a token; the confirmation imports exactly what the preview showed.
"""
import base64
import secrets
from dataclasses import asdict
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from curriculum.selectors import programme_by_code, programmes_by_code
from grading.access import check_past_results
from grading.forms.past_results import MappingForm, PastResultsUploadForm, TokenForm
from grading.past_results_reading import (
    MAX_JSON_BYTES,
    PastResultsError,
    PastRow,
    proposed_mapping,
    read_scodoc_json,
    rows_from_scodoc,
    rows_from_table,
    scodoc_ue_ids,
)
from grading.selectors.past_results import past_results_batches
from grading.services.errors import ImportInvalid, ServiceError
from grading.services.past_results import (
    past_results_import,
    past_results_plan,
    past_results_undo,
    programme_year_ues,
)
from grading.spreadsheet_reading import read_table

SESSION_KEY = "past_results"
NEEDS_PROGRAMME = "Pour un fichier ScoDoc, choisissez le programme dont prendre les UE."
EXPIRED = "Aperçu expiré : déposez à nouveau le fichier."
BAD_MAPPING = "Correspondance non prise en compte : un code d'UE a plus de 20 caractères."
IMPORTED = "{new} validation(s) ajoutée(s), {changed} modifiée(s), {unchanged} inchangée(s)."
NOTHING = "Rien à enregistrer : ces validations sont déjà connues."
UNDONE = "Import annulé : {count} validation(s) rétablie(s)."


def _scodoc(pending: dict, programme) -> tuple[list, dict[str, str], dict]:
    """Read the stored ScoDoc JSON again: its students, the mapping (proposed, then corrected by hand), RCUE keys."""
    students = read_scodoc_json(base64.b64decode(pending["data"]))
    pairs, keys = programme_year_ues(programme)
    return students, {**proposed_mapping(students, year_ues=pairs), **pending.get("overrides", {})}, keys


def _rows(pending: dict, programme) -> list[PastRow]:
    """Read the stored file again (a spreadsheet's rows, or ScoDoc's JSON with its current mapping)."""
    if pending["kind"] == "table":
        return [PastRow(**{**r, "average": Decimal(r["average"]) if r["average"] else None})
                for r in pending["rows"]]
    students, mapping, keys = _scodoc(pending, programme)
    return rows_from_scodoc(students, mapping=mapping, rcue_keys=keys)


def _preview(request, pending: dict, token: str):
    programme = programme_by_code(pending["programme"])
    context = {"filename": pending["filename"], "token_form": TokenForm(initial={"token": token}),
               "programme": programme, "errors": [], "mapping": {}}
    try:
        if pending["kind"] == "json":
            # Every ue_id of the file, mapped or not, so that one left without a UE can be given one by hand.
            students, mapping, keys = _scodoc(pending, programme)
            places = scodoc_ue_ids(students)
            context["mapping"] = {ue_id: mapping.get(ue_id, "") for ue_id in places}
            context["mapping_rows"] = [(ue_id, place, mapping.get(ue_id, "")) for ue_id, place in places.items()]
            pending["ue_ids"] = list(places)
            rows = rows_from_scodoc(students, mapping=mapping, rcue_keys=keys)
        else:
            rows = _rows(pending, programme)
        context["plan"] = plan = past_results_plan(rows=rows, programme=programme)
    except (PastResultsError, ImportInvalid) as exc:
        context["errors"] = exc.errors
    else:
        pending["signature"] = plan.signature()
    request.session[SESSION_KEY] = {token: pending}
    if pending["kind"] == "json" and programme is not None:
        context["ue_codes"] = sorted({c for pair in programme_year_ues(programme)[0].values() for p in pair
                                      for c in p})
    return render(request, "grading/past_results_preview.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def past_results_upload(request):
    check_past_results(request.user)
    if request.method == "POST" and "remap" in request.POST:  # the mapping corrected by hand on the preview
        token = request.POST.get("token", "")
        pending = request.session.get(SESSION_KEY, {}).get(token)
        if pending is None:
            messages.error(request, EXPIRED)
            return redirect("grading:past_results")
        mapping_form = MappingForm(request.POST, ue_ids=pending.get("ue_ids", []))
        if mapping_form.is_valid():
            pending["overrides"] = mapping_form.overrides()
        else:
            messages.error(request, BAD_MAPPING)
        return _preview(request, pending, token)
    programmes = programmes_by_code()
    form = PastResultsUploadForm(request.POST or None, request.FILES or None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        file, code = form.cleaned_data["file"], form.cleaned_data["programme"]
        pending = {"filename": file.name, "programme": code}
        if file.name.lower().endswith(".json"):
            data = file.read(MAX_JSON_BYTES + 1)
            if not code:
                form.add_error("programme", NEEDS_PROGRAMME)
            else:
                pending.update(kind="json", data=base64.b64encode(data).decode("ascii"), overrides={})
        else:
            table = read_table(file, allow_csv=True)
            try:
                if table.error:
                    raise PastResultsError([table.error])
                rows = rows_from_table(table.rows)
            except PastResultsError as exc:
                for error in exc.errors:
                    form.add_error("file", error)
            else:
                pending.update(kind="table", rows=[{**asdict(r), "average": str(r.average) if r.average is not None
                                                    else ""} for r in rows])
        if "kind" in pending:
            return _preview(request, pending, secrets.token_urlsafe(16))
    return render(request, "grading/past_results.html", {"form": form, "batches": past_results_batches()})


@login_required
@require_POST
def past_results_confirm(request):
    check_past_results(request.user)
    form = TokenForm(request.POST)
    pending = request.session.pop(SESSION_KEY, {}).get(request.POST.get("token", "")) if form.is_valid() else None
    if pending is None:
        messages.error(request, EXPIRED)
        return redirect("grading:past_results")
    programme = programme_by_code(pending["programme"])
    try:
        rows = _rows(pending, programme)
        plan, batch = past_results_import(rows=rows, programme=programme, user=request.user,
                                          filename=pending["filename"], expected=pending.get("signature"))
    except (PastResultsError, ImportInvalid) as exc:
        messages.error(request, "; ".join(exc.errors[:5]))
        return redirect("grading:past_results")
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("grading:past_results")
    if batch is None:
        messages.info(request, NOTHING)
    else:
        messages.success(request, IMPORTED.format(new=len(plan.new), changed=len(plan.changed),
                                                  unchanged=len(plan.unchanged)))
    return redirect("grading:past_results")


@login_required
@require_POST
def past_results_cancel(request, batch: str):
    check_past_results(request.user)
    try:
        count = past_results_undo(batch=batch, user=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, UNDONE.format(count=count))
    return redirect("grading:past_results")
