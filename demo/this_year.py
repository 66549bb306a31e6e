"""This year (2026-2027), on 10 June 2027: the three promotions, graded up to that day.

- BUT1 on the department's version of the Le Creusot IPI programme (S1 and S2), new students;
- BUT2 on the work-study Dijon MPI programme (S3 and S4 both graded): new students and last year's repeaters
  (RED at last year's jury, enrolled and marked as repeating by the secretariat); one student left in November
  (DEM), one grade is still to come (ATT);
- BUT3 on the same Le Creusot version (S5 and S6), a promotion of its own: Dijon's MPI has no BUT3 in the
  fixtures, so last year's Dijon BUT2 who passed are not in this year's database (the jury's « année suivante »
  page lists them), and a student keeps one parcours all along (the engine reads it from the latest enrolment).

The odd semesters' evaluations are published, and the even semesters' up to the end of April; a few students
have an account (the `etudiant` login is last year's first repeater).
"""
import datetime
import random

from django.core.mail import get_connection
from django.db.models import Q

from curriculum.models import Programme
from demo.dates import DEM_LEFT_ON, THIS_YEAR, TODAY
from demo.incidents import excuse_absences, give_bonuses, grade_to_come, leave
from demo.last_year import LastYear, competences
from demo.marks import enter_grades
from demo.past_results import import_but1
from demo.people import Staff
from demo.promotions import Cohort, DemoSemester, new_students, open_semesters, prepare
from grading.engine.codes import DecisionCode, JuryLevel
from grading.models import Evaluation, JuryDecision, Student
from grading.services.enrolments import enrolment_update
from portal.accounts import student_accounts_create
from portal.links import site_url
from portal.publication import evaluations_publish

PUBLISHED_UNTIL = datetime.date(2027, 4, 30)  # the even semesters' evaluations published so far
REPEATER_PROGRESS = 5.0  # points a repeater gains where they failed
ACCOUNTS_PER_PROMOTION = 2
BUT3_FIRST_NUMBER = 501


def build_this_year(*, department: Programme, dijon: Programme, last: LastYear, students: int, seed: int, names,
                    staff: Staff, progress) -> dict[str, list[DemoSemester]]:
    """Build the three promotions of this year; return their semesters by promotion."""
    rng = random.Random(f"{seed}:{THIS_YEAR}")
    instances = {"BUT1": open_semesters(programme=department, numbers=(1, 2), start_year=THIS_YEAR),
                 "BUT2": open_semesters(programme=dijon, numbers=(3, 4), start_year=THIS_YEAR),
                 "BUT3": open_semesters(programme=department, numbers=(5, 6), start_year=THIS_YEAR)}
    cohorts = _cohorts(last=last, students=students, rng=rng, codes=competences(department), names=names)
    promotions = {name: prepare(instances=instances[name], identities=cohorts[name].identities,
                                teachers=staff.teachers, user=staff.secretariat) for name in instances}
    but2_s3, but2_s4 = promotions["BUT2"]
    import_but1(department=department, profiles=cohorts["BUT2"].profiles, start_year=THIS_YEAR - 1,
                students=[e.student for e in but2_s3.enrolments()], user=staff.secretariat)  # R15 known
    for enrolment in but2_s3.enrolments() + but2_s4.enrolments():
        if cohorts["BUT2"].profiles[enrolment.student.ine].repeats:
            enrolment_update(enrolment=enrolment, parcours=enrolment.parcours, status=enrolment.status,
                             is_repeat=True, groups=enrolment.groups.all())
    att_ine, dem_ine = [e.student.ine for e in but2_s3.enrolments() if not e.is_repeat][:2]
    left = [e for s in (but2_s3, but2_s4) for e in s.enrolments() if e.student.ine == dem_ine]
    leave(enrolments=left, user=staff.secretariat, reason=f"A quitté la formation le {DEM_LEFT_ON:%d/%m/%Y}.")
    for name, semesters in promotions.items():
        for semester in semesters:
            count = enter_grades(evaluations=semester.evaluations(), enrolments=semester.enrolments(),
                                 profiles=cohorts[name].profiles, responsible=semester.responsible, rng=rng,
                                 until=TODAY, left={e.pk: DEM_LEFT_ON for e in left})
            excused = excuse_absences(instance=semester.instance, rng=rng, user=staff.secretariat)
            progress(f"{semester.instance} : {len(cohorts[name].identities)} étudiants, {count} notes "
                     f"({excused} EXC)")
    last_test = (Evaluation.objects.filter(semester_instance=but2_s4.instance, title="DS 2")
                 .select_related("semester_instance", "module").order_by("-date", "module__code").first())
    grade_to_come(evaluation=last_test, enrolment=next(e for e in but2_s4.enrolments() if e.student.ine == att_ine),
                  user=but2_s4.responsible[last_test.module_id])
    regular = [e for e in but2_s3.enrolments() if e.student.ine not in (att_ine, dem_ine) and not e.is_repeat]
    give_bonuses(enrolments=rng.sample(regular, min(3, len(regular))), rng=rng, user=staff.secretariat)
    _publish(promotions, user=staff.secretariat)
    _accounts(promotions, cohorts=cohorts, last=last, staff=staff, progress=progress)
    return promotions


def _cohorts(*, last: LastYear, students: int, rng, codes, names) -> dict[str, Cohort]:
    """Return who is in each promotion: BUT1 new, BUT2 last year's RED and new, BUT3 new."""
    repeating = set(JuryDecision.objects.filter(session=last.session, level=JuryLevel.YEAR, code=DecisionCode.RED,
                                                superseded_by__isnull=True).values_list("enrolment__student__ine",
                                                                                        flat=True))
    but2 = Cohort()
    for identity in last.cohort.identities:
        if identity.ine in repeating:
            but2.add(identity, last.cohort.profiles[identity.ine].repeated(REPEATER_PROGRESS))
    newcomers = new_students(names=names, entry_year=THIS_YEAR - 1, count=max(3, students - len(but2.identities)),
                             rng=rng, competences=codes)
    for identity in newcomers.identities:
        but2.add(identity, newcomers.profiles[identity.ine])
    but1 = new_students(names=names, entry_year=THIS_YEAR, count=students, rng=rng, competences=codes)
    # entered in 2024 like last year's BUT2, elsewhere: numbered after them
    but3 = new_students(names=names, entry_year=THIS_YEAR - 2, count=students, rng=rng, competences=codes,
                        first_number=BUT3_FIRST_NUMBER)
    return {"BUT1": but1, "BUT2": but2, "BUT3": but3}


def _publish(promotions: dict[str, list[DemoSemester]], *, user) -> None:
    """Publish the odd semesters' evaluations, and the even semesters' up to the end of April."""
    instances = [s.instance for semesters in promotions.values() for s in semesters]
    evaluations = (Evaluation.objects.filter(semester_instance__in=instances)
                   .filter(Q(semester_instance__semester__number__in=(1, 3, 5)) | Q(date__lte=PUBLISHED_UNTIL)))
    evaluations_publish(evaluations=evaluations, published=True, user=user, base_url=site_url(), notify=False)


def _accounts(promotions, *, cohorts, last: LastYear, staff: Staff, progress) -> None:
    """Give the `etudiant` login to last year's first repeater, and an account to a few students of each year.

    The accounts are made by the students' service, which e-mails each a link to choose a password; the demo's
    addresses are fictitious, so the messages go nowhere (Django's dummy e-mail backend) instead of the console.
    """
    repeater = Student.objects.get(ine=last.cohort.identities[0].ine)
    if repeater.user_id != staff.student.pk:
        repeater.user = staff.student
        repeater.save(update_fields=["user"])
    chosen = [i.ine for name in ("BUT1", "BUT2", "BUT3")
              for i in cohorts[name].identities[-ACCOUNTS_PER_PROMOTION:]]
    done = student_accounts_create(students=Student.objects.filter(ine__in=chosen), user=staff.secretariat,
                                   base_url=site_url(),
                                   mail_connection=get_connection("django.core.mail.backends.dummy.EmailBackend"))
    progress(f"comptes étudiants : {staff.student.username} ({repeater}) et {len(done.created)} créés "
             "par le service des comptes (liens non envoyés)")
