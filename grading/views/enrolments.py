"""Students, groups and module responsibles of a semester."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from butgmp.people import person_name
from grading.access import (
    Action,
    instance_or_404,
)
from grading.forms.enrolments import EnrolmentForm, EnrolStudentForm, LateListForm
from grading.forms.semesters import GroupForm, ResponsibleForm
from grading.forms.uploads import ImportConfirmForm, StudentListUploadForm
from grading.imports import read_student_list
from grading.models import Enrolment, Group, ModuleResponsible
from grading.previews import student_list_keep, student_list_take
from grading.selectors.grade_entry import groups_with_sizes, module_responsibles, student_list_imports
from grading.selectors.missing import list_newcomer_waits
from grading.services import semesters as semester_writes
from grading.services.enrolments import enrolment_update
from grading.services.errors import ImportInvalid, ServiceError
from grading.services.late_enrolment import student_list_import_late
from grading.services.semesters import group_create, responsible_add, responsible_remove
from grading.services.student_lists import (
    BATCH_PREFIX,
    student_list_plan,
    student_list_undo,
)
from grading.spreadsheet_reading import capped_errors
from grading.views.enrolment_bulk import enrolment_page
from grading.views.late_enrolment import enrol_one

STUDENT_ENROLLED = "{student} inscrit."
STUDENTS_IMPORTED = "Liste importée : {new} inscription(s), {changed} étudiant(s) modifié(s), {unchanged} inchangé(s)."
NEWCOMERS_EXCUSED = "{count} note(s) manquante(s) des nouveaux inscrits marquée(s) EXC (inscription tardive)."
STUDENT_LIST_INVALID = "La liste contient {count} erreur(s) : aucun étudiant n'a été inscrit."
STUDENT_LIST_LOCKED = ("Semestre verrouillé après son jury : aucun import n'est possible tant qu'il n'est pas "
                       "déverrouillé.")
STUDENT_LIST_EXPIRED = "Cet aperçu a expiré : déposez à nouveau la liste."
STUDENT_LIST_UNDONE = "Import de liste annulé ({count} modification(s) défaite(s))."
GROUP_CREATED = "Groupe {name} créé."
GROUP_DELETED = "Groupe {name} supprimé."
RESPONSIBLE_ADDED = "{user} est responsable de {module}."
RESPONSIBLE_REMOVED = "{user} n'est plus responsable de {module}."
ENROLMENT_SAVED = "Inscription de {student} enregistrée."


# ---------------------------------------------------------------- students and groups


@login_required
@require_http_methods(["GET", "POST"])
def enrolment_list(request, pk):
    instance = instance_or_404(request, pk, Action.SETUP)
    form = EnrolStudentForm(request.POST or None, semester_instance=instance)
    late_form = None
    if request.method == "POST" and form.is_valid():
        enrolment, late_form = enrol_one(request, instance=instance, form=form)  # warns first if R2 would bite
        if enrolment is not None:
            return redirect("grading:enrolment_list", instance.pk)
    return enrolment_page(request, instance, form=form, late_form=late_form)


@login_required
@require_http_methods(["GET", "POST"])
def student_import(request, pk):
    """Upload a student list: check every row, then show what would change (nothing is written yet)."""
    instance = instance_or_404(request, pk, Action.SETUP)
    form = StudentListUploadForm(request.POST or None, request.FILES or None)
    context = {"instance": instance, "form": form, "errors": [],
               "imports": student_list_imports(semester_instance=instance)}
    if instance.is_locked:  # show the lock instead of the form, and never read a file
        if request.method == "POST":
            messages.error(request, STUDENT_LIST_LOCKED)
        return render(request, "grading/student_import.html", context)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        upload = read_student_list(file=file, semester_instance=instance,
                                   create_groups=form.cleaned_data["create_groups"])
        errors = upload.errors
        if not errors:
            try:
                plan = student_list_plan(semester_instance=instance, rows=upload.rows, new_groups=upload.new_groups)
            except ImportInvalid as exc:
                errors = exc.errors
        if errors:
            messages.error(request, STUDENT_LIST_INVALID.format(count=len(errors)))
            context["errors"] = capped_errors(errors)
            return render(request, "grading/student_import.html", context)
        token = student_list_keep(request.session, instance_id=instance.pk, filename=file.name, upload=upload,
                                  plan=plan)
        return render(request, "grading/student_import_preview.html", {
            "instance": instance, "plan": plan, "filename": file.name,
            "confirm_form": ImportConfirmForm(initial={"token": token}),
            "late": list_newcomer_waits(semester_instance=instance, plan=plan, rows=upload.rows),
            "late_form": LateListForm()})
    return render(request, "grading/student_import.html", context)


@login_required
@require_POST
def student_import_confirm(request, pk):
    """Write a previewed student list, refused if the students or groups changed since the preview."""
    instance = instance_or_404(request, pk, Action.SETUP)
    form = ImportConfirmForm(request.POST)
    token = form.cleaned_data["token"] if form.is_valid() else ""
    pending = student_list_take(request.session, instance_id=instance.pk, token=token)
    if pending is None:
        messages.error(request, STUDENT_LIST_EXPIRED)
        return redirect("grading:student_import", instance.pk)
    rows = pending["rows"]
    late = LateListForm(request.POST)
    late.is_valid()  # a boolean and a free text: always valid
    try:
        result, excused = student_list_import_late(
            semester_instance=instance, rows=rows, user=request.user, filename=pending["filename"],
            new_groups=pending["new_groups"], expected=pending["signature"],
            excuse=late.cleaned_data.get("excuse", False), reason=late.cleaned_data.get("reason", ""))
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("grading:student_import", instance.pk)
    plan = result.plan
    messages.success(request, STUDENTS_IMPORTED.format(new=len(plan.new), changed=len(plan.changed),
                                                       unchanged=len(plan.unchanged)))
    if excused:
        messages.info(request, NEWCOMERS_EXCUSED.format(count=excused))
    return redirect("grading:enrolment_list", instance.pk)


@login_required
@require_POST
def student_import_undo(request, pk, batch):
    instance = instance_or_404(request, pk, Action.SETUP)
    if not batch.startswith(BATCH_PREFIX.format(pk=instance.pk) + "-"):
        raise Http404
    try:
        count = student_list_undo(semester_instance=instance, batch=batch, user=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, STUDENT_LIST_UNDONE.format(count=count))
    return redirect("grading:student_import", instance.pk)


@login_required
@require_http_methods(["GET", "POST"])
def enrolment_edit(request, pk, enrolment_pk):
    instance = instance_or_404(request, pk, Action.SETUP)
    enrolment = get_object_or_404(Enrolment.objects.select_related("student"), pk=enrolment_pk,
                                  semester_instance=instance)
    initial = {"parcours": enrolment.parcours_id, "status": enrolment.status, "is_repeat": enrolment.is_repeat,
               "groups": list(enrolment.groups.all())}
    form = EnrolmentForm(request.POST or None, initial=initial, semester_instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment_update(enrolment=enrolment, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, ENROLMENT_SAVED.format(student=enrolment.student))
            return redirect("grading:enrolment_list", instance.pk)
    return render(request, "grading/enrolment_edit.html", {"instance": instance, "enrolment": enrolment,
                                                           "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def group_list(request, pk):
    instance = instance_or_404(request, pk, Action.SETUP)
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = group_create(semester_instance=instance, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, GROUP_CREATED.format(name=group.name))
            return redirect("grading:group_list", instance.pk)
    groups = groups_with_sizes(semester_instance=instance)
    return render(request, "grading/group_list.html", {"instance": instance, "form": form, "groups": groups})


@login_required
@require_POST
def group_delete(request, pk, group_pk):
    instance = instance_or_404(request, pk, Action.SETUP)
    group = get_object_or_404(Group, pk=group_pk, semester_instance=instance)
    try:
        semester_writes.group_delete(group=group)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, GROUP_DELETED.format(name=group.name))
    return redirect("grading:group_list", instance.pk)


@login_required
@require_http_methods(["GET", "POST"])
def responsible_list(request, pk):
    instance = instance_or_404(request, pk, Action.SETUP)
    form = ResponsibleForm(request.POST or None, semester_instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            responsible_add(semester_instance=instance, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            user = form.cleaned_data["user"]
            messages.success(request, RESPONSIBLE_ADDED.format(user=person_name(user),
                                                               module=form.cleaned_data["module"].code))
            return redirect("grading:responsible_list", instance.pk)
    responsibles = module_responsibles(semester_instance=instance)
    return render(request, "grading/responsible_list.html", {"instance": instance, "form": form,
                                                             "responsibles": responsibles})


@login_required
@require_POST
def responsible_delete(request, pk, responsible_pk):
    instance = instance_or_404(request, pk, Action.SETUP)
    responsible = get_object_or_404(ModuleResponsible.objects.select_related("user", "module"),
                                    pk=responsible_pk, semester_instance=instance)
    try:
        responsible_remove(responsible=responsible)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, RESPONSIBLE_REMOVED.format(
            user=person_name(responsible.user), module=responsible.module.code))
    return redirect("grading:responsible_list", instance.pk)
