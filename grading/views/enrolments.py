"""Students, groups and module responsibles of a semester."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from butgmp.people import person_name
from grading import services
from grading.forms import (
    EnrolmentForm,
    EnrolStudentForm,
    GroupForm,
    ResponsibleForm,
    StudentListUploadForm,
)
from grading.imports import read_student_list
from grading.models import Enrolment, Group, ModuleResponsible
from grading.permissions import (
    Action,
)
from grading.views.access import instance_or_404
from grading.views.enrolment_bulk import enrolment_page
from grading.views.late_enrolment import enrol_one

STUDENTS_IMPORTED = "{count} étudiant(s) inscrit(s) ou mis à jour."
STUDENT_LIST_INVALID = "La liste contient {count} erreur(s) : aucun étudiant n'a été inscrit."
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
    instance = instance_or_404(request, pk, Action.SETUP)
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
    instance = instance_or_404(request, pk, Action.SETUP)
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
    instance = instance_or_404(request, pk, Action.SETUP)
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
    instance = instance_or_404(request, pk, Action.SETUP)
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
    instance = instance_or_404(request, pk, Action.SETUP)
    form = ResponsibleForm(request.POST or None, semester_instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.responsible_add(semester_instance=instance, **form.cleaned_data)
        except services.ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            user = form.cleaned_data["user"]
            messages.success(request, RESPONSIBLE_ADDED.format(user=person_name(user),
                                                               module=form.cleaned_data["module"].code))
            return redirect("grading:responsible_list", instance.pk)
    responsibles = (ModuleResponsible.objects.filter(semester_instance=instance)
                    .select_related("module", "user").order_by("module__order", "module__code"))
    return render(request, "grading/responsible_list.html", {"instance": instance, "form": form,
                                                             "responsibles": responsibles})


@login_required
@require_POST
def responsible_delete(request, pk, responsible_pk):
    instance = instance_or_404(request, pk, Action.SETUP)
    responsible = get_object_or_404(ModuleResponsible.objects.select_related("user", "module"),
                                    pk=responsible_pk, semester_instance=instance)
    try:
        services.responsible_remove(responsible=responsible)
    except services.ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, RESPONSIBLE_REMOVED.format(
            user=person_name(responsible.user), module=responsible.module.code))
    return redirect("grading:responsible_list", instance.pk)
