"""Grade-entry pages: thin views (access helper, form, one selector or service call, render)."""
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from butgmp.roles import Role, has_role
from curriculum.models import Module
from grading import selectors, services
from grading.exports import evaluation_filename, evaluation_workbook
from grading.forms import (
    EnrolmentForm,
    EnrolStudentForm,
    EvaluationForm,
    GradeCellForm,
    GradesUploadForm,
    GroupFilterForm,
    GroupForm,
    ImportConfirmForm,
    LockForm,
    ResponsibleForm,
    SemesterInstanceForm,
    StudentListUploadForm,
)
from grading.imports import read_grades_upload, read_student_list
from grading.models import Enrolment, Group, ImportBatch, ModuleResponsible, SemesterInstance
from grading.permissions import (
    Action,
    can,
    check_access,
    may_enter_grades,
    responsible_module_ids,
    visible_instances,
)
from grading.results import student_results
from grading.tables import EnrolmentTable, GradeChangeTable, ImportBatchTable, SemesterInstanceTable

SAVED_EVALUATION = "Évaluation « {title} » enregistrée."
SEMESTER_CREATED = "Semestre {semester} ouvert."
STUDENT_ENROLLED = "{student} inscrit."
STUDENTS_IMPORTED = "{count} étudiant(s) inscrit(s) ou mis à jour."
STUDENT_LIST_INVALID = "La liste contient {count} erreur(s) : aucun étudiant n'a été inscrit."
GROUP_CREATED = "Groupe {name} créé."
GROUP_DELETED = "Groupe {name} supprimé."
RESPONSIBLE_ADDED = "{user} est responsable de {module}."
RESPONSIBLE_REMOVED = "{user} n'est plus responsable de {module}."
ENROLMENT_SAVED = "Inscription de {student} enregistrée."
IMPORT_DONE = "Import enregistré : {new} nouvelle(s) note(s), {changed} modifiée(s), {unchanged} inchangée(s)."
IMPORT_NOTHING = "Aucune note ne change : rien n'a été enregistré."
IMPORT_EXPIRED = "Cet aperçu a expiré : déposez à nouveau le fichier."
UNDO_DONE = "Import annulé : {count} note(s) remises à leur valeur précédente."
LOCKED_DONE = "Semestre verrouillé : les notes ne peuvent plus être modifiées."
UNLOCKED_DONE = "Semestre déverrouillé."
SESSION_IMPORTS = "grading_imports"


# ---------------------------------------------------------------- access


def _instance(request, pk: int, action: Action, *, module=None) -> SemesterInstance:
    instance = get_object_or_404(
        SemesterInstance.objects.select_related("semester__programme__parcours", "academic_year"), pk=pk)
    check_access(request.user, action, semester_instance=instance, module=module)
    return instance


def _evaluation(request, pk: int):
    evaluation = get_object_or_404(selectors.evaluations_for_pages(), pk=pk)
    check_access(request.user, Action.GRADE, semester_instance=evaluation.semester_instance,
                 module=evaluation.module)
    return evaluation


# ---------------------------------------------------------------- semesters


@login_required
@require_GET
def semester_list(request):
    user = request.user
    if not (may_enter_grades(user) or has_role(user, Role.JURY)):
        raise PermissionDenied
    table = SemesterInstanceTable(visible_instances(user))
    return render(request, "grading/semester_list.html", {
        "table": table, "may_setup": can(user, Action.SETUP, semester_instance=None)})


@login_required
@require_http_methods(["GET", "POST"])
def semester_create(request):
    check_access(request.user, Action.SETUP, semester_instance=None)
    form = SemesterInstanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            instance = services.semester_instance_create(semester=form.cleaned_data["semester"],
                                                         start_year=form.cleaned_data["start_year"],
                                                         label=form.cleaned_data["label"])
        except services.ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, SEMESTER_CREATED.format(semester=instance))
            return redirect("grading:semester_detail", instance.pk)
    return render(request, "grading/semester_create.html", {"form": form})


@login_required
@require_GET
def semester_detail(request, pk):
    user = request.user
    instance = get_object_or_404(
        SemesterInstance.objects.select_related("semester__programme__parcours", "academic_year"), pk=pk)
    if not can(user, Action.BROWSE, semester_instance=instance) and can(user, Action.RESULTS,
                                                                          semester_instance=instance):
        return redirect("grading:semester_results", pk)  # the jury reads results, it enters nothing
    check_access(user, Action.BROWSE, semester_instance=instance)
    may_setup = can(user, Action.SETUP, semester_instance=instance)
    owned = None if may_setup else responsible_module_ids(user, instance)
    modules = selectors.semester_overview(semester_instance=instance, module_ids=owned)
    return render(request, "grading/semester_detail.html", {
        "instance": instance, "modules": modules, "may_setup": may_setup,
        "may_lock": can(user, Action.LOCK, semester_instance=instance),
        "may_results": can(user, Action.RESULTS, semester_instance=instance),
        "enrolled": instance.enrolments.count(), "lock_form": LockForm(),
        "lock_events": instance.lock_events.select_related("user")[:5],
    })


@login_required
@require_POST
def semester_lock(request, pk):
    instance = _instance(request, pk, Action.LOCK)
    form = LockForm(request.POST)
    if form.is_valid():
        service = services.semester_unlock if instance.is_locked else services.semester_lock
        try:
            service(semester_instance=instance, user=request.user, reason=form.cleaned_data["reason"])
        except services.ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, LOCKED_DONE if instance.is_locked else UNLOCKED_DONE)
    return redirect("grading:semester_detail", instance.pk)


# ---------------------------------------------------------------- students and groups


@login_required
@require_http_methods(["GET", "POST"])
def enrolment_list(request, pk):
    instance = _instance(request, pk, Action.SETUP)
    form = EnrolStudentForm(request.POST or None, semester_instance=instance)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        row = services.StudentRow(ine=data["ine"], last_name=data["last_name"], first_name=data["first_name"],
                                  email=data["email"], parcours=data["parcours"])
        try:
            enrolled = services.students_enrol(semester_instance=instance, rows=[row], groups=data["groups"],
                                               update_existing=False)
        except services.ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, STUDENT_ENROLLED.format(student=enrolled[0].student))
            return redirect("grading:enrolment_list", instance.pk)
    table = EnrolmentTable(selectors.enrolments(semester_instance=instance))
    return render(request, "grading/enrolment_list.html", {
        "instance": instance, "form": form, "table": table, "upload_form": StudentListUploadForm()})


@login_required
@require_http_methods(["GET", "POST"])
def student_import(request, pk):
    instance = _instance(request, pk, Action.SETUP)
    form = StudentListUploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = read_student_list(file=form.cleaned_data["file"], semester_instance=instance)
        errors = upload.errors
        if errors:
            messages.error(request, STUDENT_LIST_INVALID.format(count=len(errors)))
        else:
            rows = [services.StudentRow(ine=r.ine, last_name=r.last_name, first_name=r.first_name, email=r.email,
                                        parcours=r.parcours, groups=r.groups) for r in upload.rows]
            try:
                enrolled = services.students_enrol(semester_instance=instance, rows=rows)
            except services.ServiceError as exc:
                errors = [exc.message]
            else:
                messages.success(request, STUDENTS_IMPORTED.format(count=len(enrolled)))
                return redirect("grading:enrolment_list", instance.pk)
    return render(request, "grading/student_import.html", {"instance": instance, "form": form, "errors": errors})


@login_required
@require_http_methods(["GET", "POST"])
def enrolment_edit(request, pk, enrolment_pk):
    instance = _instance(request, pk, Action.SETUP)
    enrolment = get_object_or_404(Enrolment.objects.select_related("student"), pk=enrolment_pk,
                                  semester_instance=instance)
    initial = {"parcours": enrolment.parcours_id, "status": enrolment.status, "is_repeat": enrolment.is_repeat,
               "groups": list(enrolment.groups.all())}
    form = EnrolmentForm(request.POST or None, initial=initial, semester_instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.enrolment_update(enrolment=enrolment, **form.cleaned_data)
        except services.ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, ENROLMENT_SAVED.format(student=enrolment.student))
            return redirect("grading:enrolment_list", instance.pk)
    return render(request, "grading/enrolment_edit.html", {"instance": instance, "enrolment": enrolment,
                                                           "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def group_list(request, pk):
    instance = _instance(request, pk, Action.SETUP)
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(semester_instance=instance, **form.cleaned_data)
        except services.ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, GROUP_CREATED.format(name=group.name))
            return redirect("grading:group_list", instance.pk)
    groups = Group.objects.filter(semester_instance=instance).annotate(size=Count("enrolments"))
    return render(request, "grading/group_list.html", {"instance": instance, "form": form, "groups": groups})


@login_required
@require_POST
def group_delete(request, pk, group_pk):
    instance = _instance(request, pk, Action.SETUP)
    group = get_object_or_404(Group, pk=group_pk, semester_instance=instance)
    try:
        services.group_delete(group=group)
    except services.ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, GROUP_DELETED.format(name=group.name))
    return redirect("grading:group_list", instance.pk)


@login_required
@require_http_methods(["GET", "POST"])
def responsible_list(request, pk):
    instance = _instance(request, pk, Action.SETUP)
    form = ResponsibleForm(request.POST or None, semester_instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.responsible_add(semester_instance=instance, **form.cleaned_data)
        except services.ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            user = form.cleaned_data["user"]
            messages.success(request, RESPONSIBLE_ADDED.format(user=user.get_full_name() or user.username,
                                                               module=form.cleaned_data["module"].code))
            return redirect("grading:responsible_list", instance.pk)
    responsibles = (ModuleResponsible.objects.filter(semester_instance=instance)
                    .select_related("module", "user").order_by("module__order", "module__code"))
    return render(request, "grading/responsible_list.html", {"instance": instance, "form": form,
                                                             "responsibles": responsibles})


@login_required
@require_POST
def responsible_delete(request, pk, responsible_pk):
    instance = _instance(request, pk, Action.SETUP)
    responsible = get_object_or_404(ModuleResponsible.objects.select_related("user", "module"),
                                    pk=responsible_pk, semester_instance=instance)
    try:
        services.responsible_remove(responsible=responsible)
    except services.ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, RESPONSIBLE_REMOVED.format(
            user=responsible.user.get_full_name() or responsible.user.username, module=responsible.module.code))
    return redirect("grading:responsible_list", instance.pk)


# ---------------------------------------------------------------- evaluations


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_create(request, pk, module_pk):
    module = get_object_or_404(Module, pk=module_pk)
    instance = _instance(request, pk, Action.GRADE, module=module)
    if module.semester_id != instance.semester_id:
        raise PermissionDenied
    form = EvaluationForm(request.POST or None, ues=selectors.module_ues(module=module))
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.evaluation_create(semester_instance=instance, module=module, **form.service_kwargs())
        except services.ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, SAVED_EVALUATION.format(title=evaluation.title))
            return redirect("grading:evaluation_grid", evaluation.pk)
    return render(request, "grading/evaluation_form.html", {"instance": instance, "module": module, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_edit(request, pk):
    evaluation = _evaluation(request, pk)
    form = EvaluationForm(request.POST or None, ues=selectors.module_ues(module=evaluation.module),
                          evaluation=evaluation)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_update(evaluation=evaluation, **form.service_kwargs())
        except services.ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, SAVED_EVALUATION.format(title=evaluation.title))
            return redirect("grading:evaluation_grid", evaluation.pk)
    return render(request, "grading/evaluation_form.html", {
        "instance": evaluation.semester_instance, "module": evaluation.module, "form": form,
        "evaluation": evaluation})


@login_required
@require_GET
def evaluation_grid(request, pk):
    evaluation = _evaluation(request, pk)
    instance = evaluation.semester_instance
    filter_form = GroupFilterForm(request.GET or None, semester_instance=instance)
    ue_codes = [w.ue.code for w in evaluation.weights.all()]
    rows, live = selectors.grid_with_averages(semester_instance=instance, evaluations=[evaluation],
                                              module=evaluation.module, ue_codes=ue_codes, group=filter_form.group())
    imports = ImportBatchTable(selectors.evaluation_imports(evaluation=evaluation))
    return render(request, "grading/evaluation_grid.html", {
        "evaluation": evaluation, "instance": instance, "rows": rows, "filter_form": filter_form,
        "ue_codes": ue_codes, "live": live, "imports": imports, "evaluations": [evaluation],
        "upload_form": GradesUploadForm(), "incomplete": evaluation.pk in live.incomplete,
    })


@login_required
@require_GET
def module_grid(request, pk, module_pk):
    module = get_object_or_404(Module, pk=module_pk)
    instance = _instance(request, pk, Action.GRADE, module=module)
    filter_form = GroupFilterForm(request.GET or None, semester_instance=instance)
    evaluations = selectors.module_evaluations(semester_instance=instance, module=module)
    ue_codes = [ue.code for ue in selectors.module_ues(module=module)]
    rows, live = selectors.grid_with_averages(semester_instance=instance, evaluations=evaluations, module=module,
                                              ue_codes=ue_codes, group=filter_form.group())
    return render(request, "grading/module_grid.html", {
        "module": module, "instance": instance, "rows": rows, "filter_form": filter_form,
        "evaluations": evaluations, "ue_codes": ue_codes, "live": live,
    })


@login_required
@require_POST
def grade_save(request, pk):
    """Save one grid cell; answer JSON: saved (200), refused (400), conflict (409) or locked (423)."""
    evaluation = _evaluation(request, pk)
    form = GradeCellForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"ok": False, "error": "Requête invalide.", "fields": form.errors}, status=400)
    enrolment = Enrolment.objects.filter(pk=form.cleaned_data["enrolment"],
                                         semester_instance_id=evaluation.semester_instance_id).first()
    if enrolment is None:
        return JsonResponse({"ok": False, "error": services.NOT_ENROLLED}, status=400)
    try:
        saved = services.grade_set(evaluation=evaluation, enrolment=enrolment, raw=form.cleaned_data["value"],
                                   expected_version=form.cleaned_data["version"], user=request.user)
    except services.GradeConflict as exc:
        return JsonResponse({"ok": False, "conflict": True, "error": exc.message, "current": exc.current,
                             "yours": exc.yours, "version": exc.version}, status=409)
    except services.SemesterLocked as exc:
        return JsonResponse({"ok": False, "locked": True, "error": exc.message}, status=423)
    except services.ServiceError as exc:
        return JsonResponse({"ok": False, "error": exc.message}, status=400)
    return JsonResponse({"ok": True, "changed": saved.changed, "value": saved.new,
                         "version": saved.grade.version if saved.grade else 0})


@login_required
@require_GET
def grade_history(request, pk, enrolment_pk):
    evaluation = _evaluation(request, pk)
    enrolment = get_object_or_404(Enrolment.objects.select_related("student"), pk=enrolment_pk,
                                  semester_instance_id=evaluation.semester_instance_id)
    table = GradeChangeTable(selectors.grade_history(evaluation=evaluation, enrolment=enrolment))
    template = ("grading/_grade_history.html" if request.headers.get("X-Requested-With") == "fetch"
                else "grading/grade_history.html")
    return render(request, template, {"evaluation": evaluation, "enrolment": enrolment, "table": table})


@login_required
@require_GET
def student_detail(request, pk, enrolment_pk):
    instance = _instance(request, pk, Action.RESULTS)
    enrolment = get_object_or_404(Enrolment.objects.select_related("student", "parcours"), pk=enrolment_pk,
                                  semester_instance=instance)
    live = selectors.live_results(semester_instance=instance)
    return render(request, "grading/student_detail.html", {
        "instance": instance, "enrolment": enrolment,
        "modules": selectors.student_grades(enrolment=enrolment), "live": live,
        "ue_results": live.ues.get(enrolment.student_id, {}),
        "module_results": live.modules.get(enrolment.student_id, {}),
    })


@login_required
@require_GET
def semester_results(request, pk):
    instance = _instance(request, pk, Action.RESULTS)
    live = selectors.live_results(semester_instance=instance)
    rows = [(e, [live.ues.get(e.student_id, {}).get(code, (None, None)) for code in live.ue_codes])
            for e in selectors.enrolments(semester_instance=instance)]
    incomplete = selectors.evaluations_for_pages().filter(pk__in=live.incomplete)
    return render(request, "grading/semester_results.html", {
        "instance": instance, "live": live, "rows": rows, "incomplete": incomplete})


# ---------------------------------------------------------------- spreadsheets


@login_required
@require_GET
def evaluation_export(request, pk):
    evaluation = _evaluation(request, pk)
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
    evaluation = _evaluation(request, pk)
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
    evaluation = _evaluation(request, pk)
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
    evaluation = _evaluation(request, pk)
    batch = get_object_or_404(ImportBatch, pk=batch_pk, evaluation=evaluation)
    try:
        count = services.import_undo(batch=batch, user=request.user)
    except services.ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, UNDO_DONE.format(count=count))
    return redirect(reverse("grading:evaluation_grid", args=[evaluation.pk]) + "#imports")


NO_STUDENT_RECORD = "Aucun dossier étudiant n'est lié à votre compte : contactez le secrétariat."
NO_ENROLMENT = "Vous n'êtes encore inscrit(e) à aucun semestre."


@login_required
def my_results(request):
    """Show a student their own results, and nobody else's: the record linked to their account."""
    student = getattr(request.user, "student", None)
    if student is None:
        return render(request, "grading/my_results.html", {"empty_message": NO_STUDENT_RECORD})
    results = student_results(student=student)
    return render(request, "grading/my_results.html", {"results": results, "empty_message": NO_ENROLMENT})
