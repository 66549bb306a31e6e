"""Reads for a promotion's flow (`grading.cohort_flow`): the paths of the students of one semester instance (a
first-year one, usually: the promotion from its start), in a fixed number of queries, cached per results version
of every instance they followed."""
from collections import defaultdict

from django.db.models import Max

from grading.cache_versions import cached_for_paths
from grading.cohort_flow import Flow, Stay, cohort_flow
from grading.engine.codes import EnrolmentStatus, JuryLevel
from grading.models import Enrolment, JuryDecision, SemesterInstance


def promotion_flow(*, semester_instance: SemesterInstance) -> Flow:
    """Return the flow of the students enrolled in a semester instance, year by year from its academic year.

    Keyed by the last year open too: a year opened elsewhere (new students only) turns those of the promotion
    who are not in it from awaited to gone, without changing the versions of the instances they followed."""
    last_open = (SemesterInstance.objects.filter(enrolments__isnull=False)
                 .aggregate(last=Max("academic_year__start_year"))["last"])
    return cached_for_paths(f"cohort-flow:{last_open}", [semester_instance.pk],
                            lambda: _flow(semester_instance, last_open=last_open))


def _flow(semester_instance: SemesterInstance, *, last_open: int | None) -> Flow:
    students = Enrolment.objects.filter(semester_instance=semester_instance).values("student_id")
    rows = (Enrolment.objects.filter(student_id__in=students)
            .values_list("student_id", "semester_instance__academic_year__start_year",
                         "semester_instance__semester__number", "status"))
    decisions = (JuryDecision.objects.filter(enrolment__student_id__in=students, level=JuryLevel.YEAR,
                                             superseded_by__isnull=True)
                 .order_by("at").values_list("enrolment__student_id", "enrolment__semester_instance__academic_year__"
                                             "start_year", "subject", "code"))
    in_force = {(student, year, subject): code for student, year, subject, code in decisions}  # the latest wins
    stays: dict[tuple[int, int], list[tuple[int, str]]] = defaultdict(list)
    for student, year, number, status in rows:
        stays[(student, year)].append(((number + 1) // 2, status))
    paths: dict[int, list[Stay]] = defaultdict(list)
    for (student, year), entries in stays.items():
        but = max(level for level, _ in entries)
        ended = any(status != EnrolmentStatus.ENROLLED for level, status in entries if level == but)
        paths[student].append(Stay(year=year, but=but, ended=ended, decision=in_force.get((student, year, str(but)))))
    first_year = semester_instance.academic_year.start_year
    return cohort_flow(paths, first_year=first_year, last_open_year=last_open or first_year)
