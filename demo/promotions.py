"""A demo promotion: its semesters opened for a year, its students (identities, groups, levels) enrolled from a
list, its modules planned, as the secretariat does it at the start of a year (`semester_instance_create`,
`students_enrol`).

Groups follow the alphabetical list: TD groups of at most 26 students, each split in two TP groups (TD1 → TP1A,
TP1B).
"""
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from curriculum.models import Modality, Parcours, Programme
from demo.dates import window
from demo.marks import Profile, draw_profile
from demo.people import Identity, ine
from demo.plans import plan_semester
from grading.models import Enrolment, Evaluation, SemesterInstance
from grading.services.enrolments import StudentRow, students_enrol
from grading.services.semesters import semester_instance_create

TD_SIZE = 26


@dataclass
class DemoSemester:
    """One semester instance of the demo, with what its grades need."""

    instance: SemesterInstance
    responsible: dict  # module id -> teacher

    def enrolments(self) -> list[Enrolment]:
        return list(Enrolment.objects.filter(semester_instance=self.instance).select_related("student")
                    .order_by("student__ine"))

    def evaluations(self) -> list[Evaluation]:
        return list(Evaluation.objects.filter(semester_instance=self.instance)
                    .select_related("module", "semester_instance").order_by("date", "module__code", "order"))


@dataclass
class Cohort:
    """The students of a promotion: who they are and how well they do."""

    identities: list[Identity] = field(default_factory=list)
    profiles: dict[str, Profile] = field(default_factory=dict)  # INE -> profile

    def add(self, identity: Identity, profile: Profile) -> None:
        self.identities.append(identity)
        self.profiles[identity.ine] = profile


def new_students(*, names: Iterator[tuple[str, str]], entry_year: int, count: int, rng: random.Random,
                 competences: list[str], first_number: int = 1) -> Cohort:
    """Return `count` new students who entered the BUT in `entry_year`, with drawn levels."""
    cohort = Cohort()
    for number in range(first_number, first_number + count):
        first, last = next(names)
        cohort.add(Identity(ine=ine(entry_year, number), first_name=first, last_name=last),
                   draw_profile(rng, competences))
    return cohort


def student_rows(identities: list[Identity], parcours: Parcours) -> list[StudentRow]:
    """Return the enrolment list: alphabetical, with TD and TP groups."""
    ordered = sorted(identities, key=lambda i: (i.last_name, i.first_name, i.ine))
    tds = max(1, math.ceil(len(ordered) / TD_SIZE))
    rows = []
    for position, identity in enumerate(ordered):
        td = position * tds // len(ordered) + 1
        first_of_td = math.ceil((td - 1) * len(ordered) / tds)
        size = math.ceil(td * len(ordered) / tds) - first_of_td
        tp = "A" if position - first_of_td < size / 2 else "B"
        rows.append(StudentRow(ine=identity.ine, last_name=identity.last_name, first_name=identity.first_name,
                               email=identity.email, parcours=parcours, groups=(f"TD{td}", f"TP{td}{tp}"),
                               nip=identity.nip))
    return rows


def open_semesters(*, programme: Programme, numbers: tuple[int, ...], start_year: int) -> list[SemesterInstance]:
    return [semester_instance_create(semester=programme.semesters.get(number=n), start_year=start_year)
            for n in numbers]


def prepare(*, instances: list[SemesterInstance], identities: list[Identity], teachers: dict, user
            ) -> list[DemoSemester]:
    """Enrol the students in each semester (groups included) and plan its modules."""
    prepared = []
    for instance in instances:
        programme = instance.semester.programme
        students_enrol(semester_instance=instance, rows=student_rows(identities, programme.parcours))
        span = window(start_year=instance.academic_year.start_year, number=instance.semester.number,
                      work_study=programme.modality == Modality.WORK_STUDY)
        responsible = plan_semester(instance=instance, window=span, teachers=teachers, user=user)
        prepared.append(DemoSemester(instance=instance, responsible=responsible))
    return prepared
