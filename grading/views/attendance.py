"""Roll calls: a teacher for the groups of a semester where they teach a module, the secretariat for any group;
a slot already taken is corrected (with its history); the secretariat records a student's absence over several days.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from butgmp.times import PARIS
from grading.access import Action, check_roll_call, instance_or_404, roll_call_modules
from grading.attendance_counts import attendance_counts
from grading.forms.attendance import ALL_STUDENTS, DayRangeForm, SlotForm, StaffJustificationForm, default_slot
from grading.models import AttendanceMark, AttendanceSlot, Enrolment
from grading.selectors.attendance import (
    roll_call_at,
    slot_corrections,
    slot_enrolments,
    slot_marks,
    slot_totals,
    slots_of,
)
from grading.selectors.grade_entry import semester_modules
from grading.services import attendance as service
from grading.services.errors import ServiceError
from grading.services.roll_call_grades import absent_to_abs, evaluations_for_slot

SAVED = "Appel enregistré : {absent} absent(s), {late} retard(s)."
CORRECTED = "Appel corrigé : {changed} présence(s) modifiée(s)."
RECORDED = "Absence enregistrée sur {count} demi-journée(s)."
ABS_SET = "ABS saisi pour {count} étudiant(s) absent(s) dans « {evaluation} »."
ABS_KEPT = "Note déjà saisie, conservée : {names}."
STATUS_KEYS = {"present": "P", "absent": "A", "late": "R"}


def _scope(user, instance):
    """Return (modules the user may take a roll call in, whether they call every group and module)."""
    owned = roll_call_modules(user, instance)
    return semester_modules(semester_instance=instance, module_ids=owned), owned is None


def _slot_form(request, instance, data=None, initial=None):
    modules, staff = _scope(request.user, instance)
    return SlotForm(data, initial=initial, groups=list(instance.groups.all()), modules=modules,
                    module_required=not staff, everyone=staff), staff


def _rows(instance, group, slot):
    """The students of the roll call with their status (the slot's marks, present for the others)."""
    marks = slot_marks(slot)
    listed = list(slot_enrolments(semester_instance=instance, group=group))
    extra = [m.enrolment for pk, m in marks.items() if pk not in {e.pk for e in listed}]
    return [{"enrolment": e, "status": marks[e.pk].status if e.pk in marks else "present"} for e in listed + extra]


def _statuses(post, rows) -> dict[int, str]:
    statuses = {}
    for row in rows:
        value = post.get(f"status-{row['enrolment'].pk}", "present")
        if value != "present":
            statuses[row["enrolment"].pk] = value
    return statuses


def _hidden(form) -> dict[str, str]:
    """The chosen slot's fields, carried as they were given by the list's form."""
    data = form.data if form.is_bound else {k: form.initial.get(k) for k in form.fields}
    return {name: "" if data.get(name) is None else str(data.get(name)) for name in form.fields}


def _render(request, instance, form, *, slot=None, rows=None, staff=False, status=200):
    choice = None
    if slot is not None:
        choice = {name: getattr(slot, name) for name in ("group", "module", "date", "start", "end")}
    elif rows is not None:
        choice = form.cleaned_data
    return render(request, "grading/roll_call.html", {
        "instance": instance, "form": form, "slot": slot, "rows": rows, "staff": staff, "keys": STATUS_KEYS,
        "statuses": AttendanceMark.Status.choices, "history": slot_corrections(slot), "hidden": _hidden(form),
        "choice": choice,
        "abs_evaluations": list(evaluations_for_slot(slot)) if slot is not None and staff else [],
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def roll_call(request, pk):
    """GET: choose the slot (group, module, date, times), then the list with everyone present; POST: save it."""
    instance = instance_or_404(request, pk, Action.BROWSE)
    if request.method == "GET" and "group" not in request.GET:
        form, staff = _slot_form(request, instance, initial=default_slot(timezone.now().astimezone(PARIS)))
        return _render(request, instance, form, staff=staff)
    form, staff = _slot_form(request, instance, data=request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        return _render(request, instance, form, staff=staff, status=400 if request.method == "POST" else 200)
    data = form.cleaned_data
    slot = roll_call_at(semester_instance=instance, group=data["group"], module=data["module"], date=data["date"],
                        start=data["start"])
    rows = _rows(instance, data["group"], slot)
    if request.method == "GET":
        return _render(request, instance, form, slot=slot, rows=rows, staff=staff)
    return _save(request, instance, form, rows=rows, slot=slot, staff=staff)


def _save(request, instance, form, *, rows, slot, staff):
    data = form.cleaned_data
    try:
        result = service.roll_call_save(semester_instance=instance, group=data["group"], module=data["module"],
                                        date=data["date"], start=data["start"], end=data["end"],
                                        statuses=_statuses(request.POST, rows), user=request.user, slot=slot)
    except ServiceError as exc:
        form.add_error(None, exc.message)
        return _render(request, instance, form, slot=slot, rows=rows, staff=staff, status=400)
    if result.created:
        absent, late = slot_totals(result.slot)
        messages.success(request, SAVED.format(absent=absent, late=late))
    else:
        messages.success(request, CORRECTED.format(changed=result.changed))
    return redirect("grading:roll_call_slot", result.slot.pk)


@login_required
@require_http_methods(["GET", "POST"])
def roll_call_slot(request, slot_pk):
    """A slot already taken: its list as saved, corrected in one step, and the history of its corrections."""
    slot = get_object_or_404(AttendanceSlot.objects.select_related("group", "module", "semester_instance"),
                             pk=slot_pk, kind=AttendanceSlot.Kind.ROLL_CALL)
    instance = instance_or_404(request, slot.semester_instance_id, Action.BROWSE)
    check_roll_call(request.user, instance, module_id=slot.module_id)
    initial = {"group": str(slot.group_id) if slot.group_id else ALL_STUDENTS, "module": slot.module_id,
               "date": slot.date, "start": slot.start, "end": slot.end}
    form, staff = _slot_form(request, instance, data=request.POST if request.method == "POST" else None,
                             initial=initial)
    rows = _rows(instance, slot.group, slot)
    if request.method == "GET":
        return _render(request, instance, form, slot=slot, rows=rows, staff=staff)
    if not form.is_valid():
        return _render(request, instance, form, slot=slot, rows=rows, staff=staff, status=400)
    form.cleaned_data.update(group=slot.group, module=slot.module)  # a slot keeps its group and module
    return _save(request, instance, form, rows=rows, slot=slot, staff=staff)


@login_required
def roll_call_list(request, pk):
    """The roll calls of a semester: all for the secretariat, a teacher's modules' for a teacher."""
    instance = instance_or_404(request, pk, Action.BROWSE)
    modules, staff = _scope(request.user, instance)
    slots = slots_of(semester_instance=instance, module_ids=None if staff else [m.pk for m in modules])
    return render(request, "grading/roll_call_list.html", {"instance": instance, "slots": slots, "staff": staff})


@login_required
@require_http_methods(["GET", "POST"])
def student_absence(request, pk, enrolment_pk):
    """The secretariat records a student absent over several days (illness); the student's half-days are listed."""
    instance = instance_or_404(request, pk, Action.SETUP)
    enrolment = get_object_or_404(Enrolment.objects.select_related("student"), pk=enrolment_pk,
                                  semester_instance=instance)
    form = DayRangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = service.student_absence_record(enrolment=enrolment, user=request.user, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, RECORDED.format(count=len(created)))
            return redirect("grading:student_absence", instance.pk, enrolment.pk)
    count = attendance_counts(enrolment_ids=[enrolment.pk])[enrolment.pk]
    return render(request, "grading/student_absence.html", {"instance": instance, "enrolment": enrolment,
                                                            "form": form, "count": count,
                                                            "justify_form": StaffJustificationForm()},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def roll_call_abs(request, slot_pk):
    """The secretariat sets ABS, for the slot's absent students, on an evaluation of its module dated that day."""
    slot = get_object_or_404(AttendanceSlot, pk=slot_pk, kind=AttendanceSlot.Kind.ROLL_CALL)
    instance_or_404(request, slot.semester_instance_id, Action.SETUP)
    evaluation = get_object_or_404(evaluations_for_slot(slot), pk=request.POST.get("evaluation") or 0)
    try:
        outcome = absent_to_abs(slot=slot, evaluation=evaluation, user=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, ABS_SET.format(count=len(outcome.set), evaluation=evaluation.title))
        if outcome.kept:
            messages.warning(request, ABS_KEPT.format(names=", ".join(outcome.kept)))
    return redirect("grading:roll_call_slot", slot.pk)
