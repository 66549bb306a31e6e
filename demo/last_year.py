"""Last year (2025-2026): the work-study BUT2 of Dijon, graded, its evaluations published, its year jury held
(proposals accepted, closed, which locks its semesters, R19) and its decisions published to the students.

The promotion has a few students planned to fail (the first is the `etudiant` login): the jury proposes RED for
them with UEs acquired, which they keep when they repeat this year (R11). The others pass to BUT3.
"""
import random
from dataclasses import dataclass

from curriculum.models import Programme
from demo.dates import LAST_JURY, LAST_YEAR
from demo.incidents import excuse_absences, give_bonuses
from demo.marks import enter_grades, weak_profile
from demo.past_results import import_but1
from demo.people import Identity, Staff, ine
from demo.promotions import Cohort, new_students, open_semesters, prepare
from grading.models import Evaluation, JurySession, Student
from jury.decisions import proposals_accept
from jury.sessions import session_close, session_create
from portal.links import site_url
from portal.publication import evaluations_publish, jury_publish

WEAK_SHARE = 0.06  # of the promotion: planned to repeat
BONUSES = 2


@dataclass
class LastYear:
    session: JurySession
    cohort: Cohort


def competences(programme: Programme) -> list[str]:
    return sorted({ue.competence_level.competence.code for semester in programme.semesters.all()
                   for ue in semester.ues.select_related("competence_level__competence")})


def build_last_year(*, programme: Programme, but1: Programme, students: int, seed: int, names, staff: Staff,
                    progress) -> LastYear:
    """Build last year's BUT2 (`students` who pass or fail as they may, plus those planned to repeat), their BUT1
    on record as earlier validations of `but1`'s S1/S2 UEs (R15)."""
    rng = random.Random(f"{seed}:{LAST_YEAR}")
    codes = competences(programme)
    weak = max(1, round(students * WEAK_SHARE))
    cohort = Cohort()
    for number in range(1, weak + 1):
        first, last = next(names)
        cohort.add(Identity(ine=ine(LAST_YEAR - 1, number), first_name=first, last_name=last),
                   weak_profile(rng, codes))
    others = new_students(names=names, entry_year=LAST_YEAR - 1, count=students, rng=rng, competences=codes,
                          first_number=weak + 1)
    for identity in others.identities:
        cohort.add(identity, others.profiles[identity.ine])
    semesters = prepare(instances=open_semesters(programme=programme, numbers=(3, 4), start_year=LAST_YEAR),
                        identities=cohort.identities, teachers=staff.teachers,
                        user=staff.secretariat)
    written = import_but1(department=but1, profiles=cohort.profiles, start_year=LAST_YEAR - 1,
                          students=list(Student.objects.filter(ine__in=[i.ine for i in cohort.identities])),
                          user=staff.secretariat)
    progress(f"BUT1 des étudiants de BUT2 : {written} validations antérieures")
    for semester in semesters:
        count = enter_grades(evaluations=semester.evaluations(), enrolments=semester.enrolments(),
                             profiles=cohort.profiles, responsible=semester.responsible, rng=rng)
        excused = excuse_absences(instance=semester.instance, rng=rng, user=staff.secretariat)
        progress(f"{semester.instance} : {len(cohort.identities)} étudiants, {count} notes ({excused} EXC)")
    s3, s4 = (s.instance for s in semesters)
    regular = [e for e in semesters[1].enrolments() if not cohort.profiles[e.student.ine].weak]
    give_bonuses(enrolments=rng.sample(regular, min(BONUSES, len(regular))), rng=rng, user=staff.secretariat)
    evaluations_publish(evaluations=Evaluation.objects.filter(semester_instance__in=[s3, s4]), published=True,
                        user=staff.secretariat, base_url=site_url(), notify=False)
    session = session_create(semester_instances=[s3, s4], date=LAST_JURY,
                             president=staff.direction.get_full_name(), members=jury_members(staff), user=staff.jury)
    accepted = proposals_accept(session=session, user=staff.jury)
    session_close(session=session, user=staff.jury)
    jury_publish(session=session, user=staff.direction, base_url=site_url(), notify=False)
    progress(f"jury du {LAST_JURY:%d/%m/%Y} : {accepted.recorded} décisions, clos et publié")
    return LastYear(session=session, cohort=cohort)


def jury_members(staff: Staff) -> list:
    """The jury's members: the department's Jury-role users (the demo gives each of them every promotion)."""
    return [staff.jury]
