"""Students and their enrolments: by hand or from a list, all or nothing."""
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction

from curriculum.models import Parcours
from grading.models import (
    Enrolment,
    Group,
    SemesterInstance,
    Student,
)
from grading.services.errors import (
    ALREADY_ENROLLED,
    ServiceError,
    ensure_unlocked,
)

# ---------------------------------------------------------------- students


@dataclass(frozen=True)
class StudentRow:
    """One student to enrol: identity, parcours and group names."""

    ine: str
    last_name: str
    first_name: str
    email: str = ""
    parcours: Parcours | None = None
    groups: tuple[str, ...] = ()
    nip: str = ""  # the student number; empty keeps what is stored


def _group_kind(name: str) -> str:
    return Group.Kind.TP if name.upper().startswith("TP") else Group.Kind.TD


def students_enrol(*, semester_instance: SemesterInstance, rows: Sequence[StudentRow],
                   groups: Iterable[Group] = (), update_existing: bool = True) -> list[Enrolment]:
    """Enrol students (by hand or from a list) in bulk: all or nothing.

    Students are matched on their INE (names and e-mail updated); missing groups named in the rows
    are created (TP… as TP, others as TD). Already enrolled students keep their enrolment: with
    `update_existing` their parcours and groups are replaced, otherwise they are refused.
    """
    with transaction.atomic():
        ensure_unlocked(semester_instance)
        ines = [r.ine for r in rows]
        students = {s.ine: s for s in Student.objects.filter(ine__in=ines)}
        to_update, to_create = [], []
        for r in rows:
            student = students.get(r.ine)
            if student is None:
                student = Student(ine=r.ine, last_name=r.last_name, first_name=r.first_name, email=r.email,
                                  nip=r.nip)
                student.full_clean(validate_unique=False, validate_constraints=False)
                to_create.append(student)
                students[r.ine] = student
            else:
                student.last_name, student.first_name = r.last_name, r.first_name
                student.email = r.email or student.email
                student.nip = r.nip or student.nip
                to_update.append(student)
        Student.objects.bulk_create(to_create)
        Student.objects.bulk_update(to_update, ["last_name", "first_name", "email", "nip"])
        enrolments = {e.student_id: e for e in Enrolment.objects.filter(
            semester_instance=semester_instance, student__ine__in=ines).select_related("student")}
        if enrolments and not update_existing:
            raise ServiceError(ALREADY_ENROLLED.format(student=next(iter(enrolments.values())).student))
        by_name = {g.name: g for g in Group.objects.filter(semester_instance=semester_instance)}
        missing = sorted({n for r in rows for n in r.groups} - set(by_name))
        for g in Group.objects.bulk_create([Group(semester_instance=semester_instance, name=n, kind=_group_kind(n))
                                            for n in missing]):
            by_name[g.name] = g
        new, old = [], []
        for r in rows:
            student = students[r.ine]
            enrolment = enrolments.get(student.pk)
            if enrolment is None:
                enrolment = Enrolment(student=student, semester_instance=semester_instance, parcours=r.parcours)
                enrolments[student.pk] = enrolment
                new.append(enrolment)
            else:
                enrolment.parcours = r.parcours
                old.append(enrolment)
        Enrolment.objects.bulk_create(new)
        Enrolment.objects.bulk_update(old, ["parcours"])
        through = Enrolment.groups.through
        through.objects.filter(enrolment__in=old).delete()
        extra = set(groups)
        links = []
        for r in rows:
            enrolment = enrolments[students[r.ine].pk]
            chosen = {by_name[n] for n in r.groups} | extra
            links += [through(enrolment_id=enrolment.pk, group_id=g.pk) for g in chosen]
        through.objects.bulk_create(links)
        everyone = new + old
    return everyone


def enrolment_update(*, enrolment: Enrolment, parcours: Parcours | None, status: str, is_repeat: bool,
                     groups: Iterable[Group]) -> Enrolment:
    with transaction.atomic():
        ensure_unlocked(enrolment.semester_instance)
        enrolment.parcours = parcours
        enrolment.status = status
        enrolment.is_repeat = is_repeat
        enrolment.full_clean()
        enrolment.save()
        enrolment.groups.set(groups)
    return enrolment
