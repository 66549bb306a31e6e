"""Read a student's own results: the engine's output for their path, shaped for display."""
from dataclasses import dataclass

from grading.engine import compute
from grading.engine.rounding import fmt
from grading.loaders import load_students
from grading.models import SemesterInstance, Student
from grading.validators import format_decimal


@dataclass
class ModuleLine:
    code: str
    average: str | None


@dataclass
class UELine:
    code: str
    average: str | None
    average_before_bonus: str | None
    decision: str | None
    ects: str
    modules: list[ModuleLine]


@dataclass
class PassageView:
    instance: SemesterInstance
    ues: list[UELine]


@dataclass
class StudentResultsView:
    student: Student
    passages: list[PassageView]
    rcues: list[tuple[str, str | None, str | None]]  # key, average, decision
    years: list[tuple[int, str | None]]
    ects: str
    explain: list[str]


def student_results(*, student: Student) -> StudentResultsView | None:
    """Return the student's results over their whole path (None when never enrolled)."""
    result = compute(load_students(student_ids=[student.id])).students.get(student.id)
    if result is None:
        return None
    instances = SemesterInstance.objects.select_related("semester__programme", "academic_year").in_bulk(
        [p.run for p in result.passages])
    passages = [
        PassageView(
            instance=instances[p.run],
            ues=[UELine(code=ue.code, average=fmt(ue.average), average_before_bonus=fmt(ue.average_before_bonus),
                        decision=ue.decision, ects=format_decimal(ue.ects),
                        modules=[ModuleLine(code, fmt(avg)) for code, avg in sorted(ue.module_averages.items())])
                 for ue in sorted(p.ues.values(), key=lambda u: u.code)],
        )
        for p in result.passages
    ]
    return StudentResultsView(
        student=student,
        passages=passages,
        rcues=[(key, fmt(r.average), r.decision) for key, r in sorted(result.rcues.items())],
        years=sorted(result.years.items()),
        ects=format_decimal(result.ects),
        explain=list(result.explain),
    )
