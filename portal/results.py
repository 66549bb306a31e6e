"""A student's results and bulletins, shaped from the engine's output on published data.

Two engine runs, both on published evaluations only (`visibility`):
- the *provisional* run, on the whole path, gives the averages of semesters whose jury is not published yet
  (shown "provisoire", with no code and no ECTS);
- the *decided* run, on the path cut after the last semester whose jury decisions are published, with those
  decisions only, gives the codes, ECTS, RCUE codes and year decisions students may read.
Where a closed jury's decisions are published, the semesters it decided show its record instead (`portal.recorded`):
the figures of the PV, never a recomputation, the student's own grades beside them.
A staff "document de travail" (`draft=True`) shows everything, every code from the engine's live run.

Fixed number of queries whatever the number of students (the loader's, plus eleven); a student's own results are
cached until something they depend on changes (`student_results`).
"""
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from django.core.cache import cache

from curriculum.models import UE, ModuleUE
from grading.cache_versions import CACHE_FORMAT, CACHE_TIMEOUT
from grading.engine import compute
from grading.engine.codes import EnrolmentStatus
from grading.engine.rounding import shown
from grading.engine.types import PassageResult, StudentResult
from grading.engine.validation import is_validated
from grading.grade_text import grade_display
from grading.loaders import load_students
from grading.models import Enrolment, Evaluation, Grade, Student
from grading.models.semesters import name_related
from portal.progress import CompetenceProgress, competence_progress
from portal.recorded import apply_records, recorded_ects, recorded_rcues
from portal.visibility import Published, decided_prefix, load_published, published_input


@dataclass
class GradeLine:
    """One evaluation of a module and the student's grade in it (None: not entered, or not published)."""

    evaluation_id: int
    title: str
    date: date | None
    coefficient: Decimal
    max_score: Decimal
    published: bool
    grade: str | None = None  # as the grid shows it: "12,5", "ABS"
    value: Decimal | None = None
    code: str | None = None


@dataclass
class ModuleLine:
    code: str
    title: str
    coefficient: Decimal  # its coefficient in the UE (R4)
    average: Decimal | None  # its average towards the UE, rounded to the cent (R3, R6)
    evaluations: list[GradeLine] = field(default_factory=list)


@dataclass
class UELine:
    code: str
    title: str
    competence: str  # "Spécifier — niveau 2"
    ects_value: Decimal  # the UE's ECTS
    average: Decimal | None
    average_before_bonus: Decimal | None
    decision: str | None  # None while the jury's decisions are not published
    ects: Decimal | None  # acquired; None while not published
    capitalised: bool = False
    modules: list[ModuleLine] = field(default_factory=list)


@dataclass
class RCUELine:
    key: str
    competence: str  # short name, "Spécifier"
    competence_name: str
    level: int
    ues: tuple[str, ...]
    average: Decimal | None
    decision: str | None

    @property
    def label(self) -> str:
        return f"{self.competence} — niveau {self.level}"


@dataclass
class SemesterResults:
    instance_id: int
    number: int
    label: str
    academic_year: str
    programme: str
    year: int
    jury_published: bool  # the jury's decisions on this semester are published
    codes_visible: bool  # codes and ECTS shown (published jury, or a staff working document)
    ues: list[UELine] = field(default_factory=list)
    rcues: list[RCUELine] = field(default_factory=list)  # the year's RCUEs, on the year's last semester
    year_decision: str | None = None
    closes_year: bool = False  # the student's last semester of that BUT year so far (RCUEs, year decision)
    ects: Decimal | None = None
    unpublished_evaluations: int = 0
    left: str = ""  # « Démission », « Défaillant », « Abandon »: the semester validates nothing (R2 « Leaving »)

    @property
    def title(self) -> str:
        label = f" ({self.label})" if self.label else ""
        return f"Semestre {self.number}{label} – {self.academic_year}"

    @property
    def provisional(self) -> bool:
        return not self.jury_published


@dataclass
class StudentResults:
    student: Student
    semesters: list[SemesterResults]
    ects: Decimal  # acquired so far, from published decisions only
    competences: list[CompetenceProgress]
    draft: bool = False

    def semester(self, instance_id: int) -> SemesterResults | None:
        return next((s for s in self.semesters if s.instance_id == instance_id), None)


def student_results(*, student: Student, draft: bool = False) -> StudentResults | None:
    """Return a student's results over their whole path (None when never enrolled).

    Cached, keyed by what they depend on (see `grading.cache_versions`): the results version of each of the student's
    semester instances (their grades, the instances' evaluations and R2 completeness, decisions, programmes…) and
    what is published there; the student's identity is read fresh. Seven queries when nothing changed, whatever
    the size of their semesters.
    """
    enrolments = _enrolments([student.id])
    published = _published(enrolments, [student.id])
    key = _cache_key(student.id, draft, enrolments, published)
    results = cache.get(key)
    if results is None:
        results = _results({student.id: student}, enrolments, published, draft).get(student.id)
        if results is None:
            return None
        cache.set(key, replace(results, student=None), CACHE_TIMEOUT)
    return replace(results, student=student)


def results_for_students(*, students, draft: bool = False) -> dict[int, StudentResults]:
    """Return the results of several students at once (a whole semester's bulletins), by student id."""
    students = {s.id: s for s in students}
    enrolments = _enrolments(list(students))
    return _results(students, enrolments, _published(enrolments, list(students)), draft)


def _enrolments(student_ids: list[int]) -> list[Enrolment]:
    return list(Enrolment.objects.filter(student_id__in=student_ids)
                .select_related(*name_related("semester_instance"))
                .order_by("student_id", "semester_instance__academic_year__start_year",
                          "semester_instance__semester__number", "semester_instance__label", "id"))


def _published(enrolments: list[Enrolment], student_ids: list[int]) -> Published:
    return load_published(enrolment_ids=[e.id for e in enrolments],
                          run_ids={e.semester_instance_id for e in enrolments}, student_ids=student_ids)


def _cache_key(student_id: int, draft: bool, enrolments: list[Enrolment], published: Published) -> str:
    path = [(e.id, e.semester_instance_id, e.semester_instance.results_version, e.semester_instance.label)
            for e in enrolments]
    shown = (sorted(published.evaluation_ids), sorted(published.decided_runs),
             sorted((e, sorted(codes.items())) for e, codes in published.decisions.items()),
             sorted({r.record_id for r in published.records.values()}))
    digest = hashlib.sha256(repr((path, shown)).encode()).hexdigest()[:32]
    return f"grading:student:{CACHE_FORMAT}:{student_id}:{int(draft)}:{digest}"


def _results(students: dict[int, Student], enrolments: list[Enrolment], published: Published, draft: bool
             ) -> dict[int, StudentResults]:
    cohort = load_students(student_ids=list(students))
    enrolment_of = {(e.student_id, e.semester_instance_id): e for e in enrolments}
    if draft:
        provisional = decided = compute(cohort, explain=False)
    else:
        visible = published_input(cohort, published, enrolment_of={k: e.id for k, e in enrolment_of.items()})
        provisional = compute(visible, explain=False)
        status_of = {k: e.status for k, e in enrolment_of.items()}
        decided = compute(replace(visible, students=tuple(
            decided_prefix(s, published.decided_runs, status_of=status_of) for s in visible.students)),
            explain=False)
    display = _Display.load(enrolments)
    parcours = {s.id: s.parcours for s in cohort.students}
    results = {}
    for student_id, student in students.items():
        if student_id not in provisional.students:
            continue
        builder = _StudentBuilder(display=display, published=published, draft=draft,
                                  provisional=provisional.students[student_id],
                                  decided=decided.students[student_id],
                                  enrolments=[e for e in enrolments if e.student_id == student_id])
        semesters = builder.semesters()
        ects, rcues = builder.ects(), builder.visible_rcues()
        if not draft:  # a published jury's semesters: its record, the figures of the PV
            records = {e.semester_instance_id: published.records[(student_id, e.semester_instance_id)]
                       for e in builder.enrolments if (student_id, e.semester_instance_id) in published.records}
            apply_records(semesters, records)
            ects, rcues = recorded_ects(semesters, records, ects), rcues | recorded_rcues(records)
        results[student_id] = StudentResults(
            student=student, semesters=semesters, ects=ects, draft=draft,
            competences=competence_progress(ues=display.ues_of(parcours[student_id]), decided=rcues,
                                            semesters_taken={s.number for s in semesters}))
    return results


@dataclass
class _Display:
    """Programme and grade rows the pages show beside the engine's figures (four queries)."""

    ues: list  # every UE of the students' programmes
    feeders: dict  # UE id -> [(module, coefficient)]
    evaluations: dict  # instance id -> module id -> [Evaluation]
    grades: dict  # enrolment id -> evaluation id -> Grade

    @classmethod
    def load(cls, enrolments: list[Enrolment]) -> "_Display":
        programme_ids = {e.semester_instance.semester.programme_id for e in enrolments}
        ues = list(UE.objects.filter(semester__programme_id__in=programme_ids)
                   .select_related("semester", "competence_level__competence").prefetch_related("parcours")
                   .order_by("semester__number", "order", "code"))
        feeders = defaultdict(list)
        for row in (ModuleUE.objects.filter(ue__in=ues, coefficient__gt=0).select_related("module")
                    .order_by("module__order", "module__code")):
            feeders[row.ue_id].append((row.module, row.coefficient))
        evaluations = defaultdict(lambda: defaultdict(list))
        for evaluation in (Evaluation.objects.filter(semester_instance_id__in={e.semester_instance_id
                                                                                for e in enrolments})
                           .order_by("order", "date", "id")):
            evaluations[evaluation.semester_instance_id][evaluation.module_id].append(evaluation)
        grades = defaultdict(dict)
        for grade in Grade.objects.filter(enrolment__in=enrolments):
            grades[grade.enrolment_id][grade.evaluation_id] = grade
        return cls(ues=ues, feeders=feeders, evaluations=evaluations, grades=grades)

    def ues_of(self, parcours: str | None) -> list:
        """Return the UEs a parcours takes (a UE without parcours is taken by all)."""
        return [ue for ue in self.ues if not ue.parcours.all() or any(p.code == parcours for p in ue.parcours.all())]


def _rounded(value: Decimal | None) -> Decimal | None:
    return None if value is None else shown(value)


@dataclass
class _StudentBuilder:
    display: _Display
    published: object
    draft: bool
    provisional: StudentResult
    decided: StudentResult
    enrolments: list[Enrolment]

    def __post_init__(self):
        self.decided_count = len(self.decided.passages)
        # A semester's codes show once its jury is published (every code, in a working document).
        self.visible = [self.draft or (i < self.decided_count and e.semester_instance_id in
                                       self.published.decided_runs) for i, e in enumerate(self.enrolments)]
        self.last_of_year = {}
        for i, e in enumerate(self.enrolments):
            self.last_of_year[e.semester_instance.semester.year] = i

    def source(self, i: int) -> PassageResult:
        return (self.decided if self.visible[i] and not self.draft else self.provisional).passages[i]

    def semesters(self) -> list[SemesterResults]:
        return [self.semester(i, enrolment) for i, enrolment in enumerate(self.enrolments)]

    def semester(self, i: int, enrolment: Enrolment) -> SemesterResults:
        instance = enrolment.semester_instance
        semester = instance.semester
        visible = self.visible[i]
        result = SemesterResults(
            instance_id=instance.id, number=semester.number, label=instance.label,
            academic_year=str(instance.academic_year), programme=semester.programme.title, year=semester.year,
            jury_published=instance.id in self.published.decided_runs, codes_visible=visible,
            left=EnrolmentStatus.left_label(enrolment.status))
        passage = self.source(i)
        by_code = {ue.code: ue for ue in self.display.ues if ue.semester_id == semester.id}
        for code, ue in passage.ues.items():
            if code in by_code:
                result.ues.append(self.ue_line(by_code[code], ue, enrolment, visible))
        result.ues.sort(key=lambda line: (by_code[line.code].order, line.code))
        if visible:
            result.ects = sum((line.ects or Decimal("0") for line in result.ues), Decimal("0"))
        result.closes_year = self.last_of_year[semester.year] == i
        if result.closes_year:
            final = self.decided if visible and not self.draft else self.provisional
            result.rcues = self.rcue_lines(final, semester.year, visible)
            result.year_decision = final.years.get(semester.year) if visible else None
        result.unpublished_evaluations = sum(
            1 for evaluations in self.display.evaluations[instance.id].values() for ev in evaluations
            if not ev.is_published)
        return result

    def ue_line(self, ue_row, ue, enrolment: Enrolment, visible: bool) -> UELine:
        level = ue_row.competence_level
        decision, ects, capitalised = ue.decision, ue.ects, ue.capitalised
        if not visible:
            # A UE validated at an earlier, published jury stays capitalised (R11); any other code is hidden.
            earlier = self.decided.ues.get(ue.code)
            capitalised = is_validated(earlier)
            decision, ects = (earlier.decision, earlier.ects) if capitalised else (None, None)
        line = UELine(code=ue.code, title=ue_row.title, competence=f"{level.competence.short_name} — niveau "
                      f"{level.level}", ects_value=ue_row.ects, average=_rounded(ue.average),
                      average_before_bonus=_rounded(ue.average_before_bonus), decision=decision, ects=ects,
                      capitalised=capitalised)
        evaluations = self.display.evaluations[enrolment.semester_instance_id]
        grades = self.display.grades.get(enrolment.id, {})
        for module, coefficient in self.display.feeders.get(ue_row.id, ()):
            line.modules.append(ModuleLine(
                code=module.code, title=module.title, coefficient=coefficient,
                average=_rounded(ue.module_averages.get(module.code)),
                evaluations=[self.grade_line(ev, grades.get(ev.id)) for ev in evaluations.get(module.id, ())]))
        return line

    def grade_line(self, evaluation: Evaluation, grade: Grade | None) -> GradeLine:
        published = self.draft or evaluation.is_published
        line = GradeLine(evaluation_id=evaluation.id, title=evaluation.title, date=evaluation.date,
                         coefficient=evaluation.coefficient, max_score=evaluation.max_score, published=published)
        if published and grade is not None and (grade.value is not None or grade.code):
            line.grade = grade_display(value=grade.value, code=grade.code)
            line.value, line.code = grade.value, grade.code or None
        return line

    def rcue_lines(self, final: StudentResult, year: int, visible: bool) -> list[RCUELine]:
        levels = {ue.competence_level.rcue_key: ue.competence_level for ue in self.display.ues}
        lines = []
        for key, rcue in final.rcues.items():
            level = levels.get(key)
            if rcue.year != year or level is None:
                continue
            lines.append(RCUELine(key=key, competence=level.competence.short_name,
                                  competence_name=level.competence.name, level=level.level, ues=rcue.ues,
                                  average=_rounded(rcue.average), decision=rcue.decision if visible else None))
        return sorted(lines, key=lambda line: (levels[line.key].competence.number, line.key))

    def visible_rcues(self) -> dict:
        """Return the RCUE codes a student may read: those of years whose last semester's jury is published."""
        if self.draft:
            return {key: rcue.decision for key, rcue in self.provisional.rcues.items()}
        hidden_years = {year for year, i in self.last_of_year.items() if i < self.decided_count and not self.visible[i]}
        return {key: rcue.decision for key, rcue in self.decided.rcues.items() if rcue.year not in hidden_years}

    def ects(self) -> Decimal:
        """Return the ECTS acquired so far, from published decisions only (the engine's total when all are)."""
        if self.draft:
            return self.provisional.ects
        hidden = {code for i, passage in enumerate(self.decided.passages) if not self.visible[i]
                  for code in passage.ues}
        shown_codes = {code for i, passage in enumerate(self.decided.passages) if self.visible[i]
                       for code in passage.ues}
        return sum((ue.ects for code, ue in self.decided.ues.items()
                    if code not in hidden or code in shown_codes), Decimal("0"))
