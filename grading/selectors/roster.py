"""Reads about students: a semester's head count by status, the staff student search, one student's record."""
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from grading.engine.codes import EnrolmentStatus
from grading.filters import name_or_ine
from grading.models import AuditEntry, Enrolment, SemesterInstance, Student

SEARCH_LIMIT = 30


@dataclass(frozen=True)
class HeadCount:
    """Students of a semester: those enrolled (status « inscrit », the ones every count uses) and the others."""

    enrolled: int
    left: int  # DEM, DEF, ABAN: their enrolment ended

    @property
    def total(self) -> int:
        return self.enrolled + self.left


def head_count(*, semester_instance: SemesterInstance) -> HeadCount:
    counts = dict(Enrolment.objects.filter(semester_instance=semester_instance).values_list("status")
                  .annotate(n=Count("id")).values_list("status", "n"))
    enrolled = counts.pop(EnrolmentStatus.ENROLLED, 0)
    return HeadCount(enrolled=enrolled, left=sum(counts.values()))


def _with_enrolments(queryset, *, instances=None):
    enrolments = (Enrolment.objects.select_related("semester_instance__semester__programme__parcours",
                                                   "semester_instance__academic_year", "parcours")
                  .order_by("-semester_instance__academic_year__start_year", "-semester_instance__semester__number"))
    if instances is not None:
        enrolments = enrolments.filter(semester_instance__in=instances)
    return queryset.prefetch_related(Prefetch("enrolments", queryset=enrolments))


def student_search(*, text: str, instances=None) -> list[Student]:
    """Return the students whose name or INE matches, with their enrolments (newest first), at most SEARCH_LIMIT.

    `instances` limits the search to students enrolled there (a teacher's semesters); None searches everybody.
    """
    students = Student.objects.filter(name_or_ine(text))
    if instances is not None:
        students = students.filter(enrolments__semester_instance__in=instances).distinct()
    return list(_with_enrolments(students, instances=instances).order_by("last_name", "first_name", "ine")
                [:SEARCH_LIMIT])


def student_record(*, student_id: int) -> Student | None:
    """Return a student with every enrolment (newest first) and the semesters they belong to."""
    return _with_enrolments(Student.objects.filter(pk=student_id)).first()


def student_journal(*, student: Student):
    """Return the journal rows about a student's identity, newest first."""
    return (AuditEntry.objects.filter(object_type=Student._meta.label_lower, object_id=student.pk)
            .select_related("user").order_by("-at", "-id"))


STUDENT_UNKNOWN = "Aucun étudiant d'INE ou de NIP {key}."


def student_by_ine_or_nip(key: str) -> Student | None:
    """Return the student of an INE or a NIP (the commands' `--student`), or None."""
    key = key.strip().upper()
    if not key:
        return None
    return Student.objects.filter(Q(ine=key) | Q(nip=key)).first()
