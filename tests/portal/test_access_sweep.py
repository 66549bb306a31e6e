"""Need-to-know access (README, « Who reads and writes what »): every staff page, requested by every kind of staff
member on objects that belong to someone else, answers as the table says.

Teachers: `owner` grades the evaluation's module, `foreign` grades another module of the same semester, `none`
grades nothing. Jury: `jury` sits for the promotion (assigned by Direction), `jury_foreign` for another one.
A page in READS opens (200, or a redirect that is not to the login page) for the roles listed, and is refused
(403/404) to the others; a route missing from READS fails the test.
"""
import pytest
from test_students_urlconf_sweep import REFUSED, Access, access_of, is_login_redirect, routes, url_of

from butgmp.roles import Role
from grading.models import AcademicYear, AccessPolicy, JuryPromotion, ModuleResponsible

pytestmark = pytest.mark.django_db

D, S, OWNER, FOREIGN, NONE, JURY, JURY_FOREIGN = "direction", "secretariat", "owner", "foreign", "none", "jury", \
    "jury_foreign"
ROLES = (D, S, OWNER, FOREIGN, NONE, JURY, JURY_FOREIGN)
EVERYONE = frozenset(ROLES)
SETUP = frozenset({D, S})
DIRECTION = frozenset({D})
GRADERS = SETUP | {OWNER}
IN_SEMESTER = GRADERS | {FOREIGN}
PROMOTION = SETUP | {JURY}

READS = {  # GET of each staff route: who may open it (the others are refused)
    "curriculum:*": EVERYONE,  # the programmes are public reference data for staff
    "curriculum:matrix_edit": DIRECTION,
    "curriculum:programme_new_version": DIRECTION,
    "curriculum:referentiel_upload": DIRECTION,
    "jury:home": SETUP | {JURY, JURY_FOREIGN},  # each sees the promotions they sit for
    "jury:report": PROMOTION,
    "jury:sheet": PROMOTION,
    "jury:report_export": PROMOTION,
    "jury:session_detail": PROMOTION,
    "jury:pv_pdf": PROMOTION,
    "jury:pv_xlsx": PROMOTION,
    "jury:letters_pdf": PROMOTION,
    "jury:next_year": SETUP,
    "jury:next_year_export": SETUP,
    "jury:members": DIRECTION,
    "jury:identity": DIRECTION,
    "jury:attestations": PROMOTION,
    "jury:attestations_pdf": PROMOTION,
    "grading:semester_list": EVERYONE,  # each sees the semesters they may open
    "grading:semester_create": SETUP,
    "grading:semester_detail": IN_SEMESTER | {JURY},
    "grading:semester_results": PROMOTION,
    "grading:semester_results_export": PROMOTION,
    "grading:enrolment_list": SETUP,
    "grading:enrolment_export": SETUP,
    "grading:student_import": SETUP,
    "grading:student_detail": PROMOTION,
    "grading:enrolment_edit": SETUP,
    "grading:group_list": SETUP,
    "grading:responsible_list": SETUP,
    "grading:module_grid": GRADERS,
    "grading:grid_averages": GRADERS,
    "grading:evaluation_create": GRADERS,
    "grading:evaluation_grid": GRADERS,
    "grading:evaluation_edit": GRADERS,
    "grading:grade_history": GRADERS,
    "grading:evaluation_export": GRADERS,
    "grading:evaluation_import": GRADERS,
    "grading:evaluation_incomplete": IN_SEMESTER | {JURY},  # grades only to GRADERS (test below)
    "portal:publication": IN_SEMESTER,
    "portal:bulletin_batches": PROMOTION,
    "portal:bulletin_batch_download": PROMOTION,
    "portal:student_bulletin_pdf": PROMOTION,
    "grading:student_search": EVERYONE,  # each finds the students they may see
    "grading:student_record": IN_SEMESTER | {JURY},
    "grading:student_identity_edit": SETUP,
    "grading:evaluation_plan": IN_SEMESTER,
    "grading:roll_call": IN_SEMESTER,  # a teacher calls in the modules they teach (test_attendance_pages)
    "grading:roll_call_list": IN_SEMESTER,
    "grading:roll_call_slot": GRADERS,  # the slot is in the module of DS1
    "grading:student_absence": SETUP,
    "grading:justification_list": SETUP,  # the scolarité decides; documents to it and to the student only
    "grading:justification_document": SETUP,
    "grading:attendance_settings": DIRECTION,
    "grading:absence_import": SETUP,
    "grading:teacher_results": IN_SEMESTER,
    "grading:teacher_results_export": IN_SEMESTER,  # each their own modules' columns (tests/grading)
    "grading:module_statistics": GRADERS,
    "grading:evaluation_statistics": GRADERS,
    "grading:cohort_flow": DIRECTION | {JURY, JURY_FOREIGN},  # counts of every promotion's paths
    "grading:student_list_export": SETUP,
    "grading:past_results": SETUP,
    "grading:past_results_confirm": SETUP,
    "grading:past_results_undo": SETUP,
    "jury:apogee_settings": DIRECTION,
    "jury:apogee_codes": DIRECTION,
    "jury:apogee_export": SETUP,
    "jury:apogee_download": SETUP,
    "accounts:*": DIRECTION,  # the users pages
}


def reads_of(name: str):
    if name in READS:
        return READS[name]
    return READS.get(f"{name.split(':')[0]}:*")


@pytest.fixture
def people(users, make_user, year):
    instance = year.instances[1]
    ds, tp = year.evaluations["DS1"], year.evaluations["TP1"]
    ModuleResponsible.objects.filter(semester_instance=instance).delete()
    owner, foreign = make_user(Role.TEACHER, "owner"), make_user(Role.TEACHER, "foreign")
    ModuleResponsible.objects.create(semester_instance=instance, module=ds.module, user=owner)
    ModuleResponsible.objects.create(semester_instance=instance, module=tp.module, user=foreign)
    AccessPolicy.objects.update(jury_every_promotion=False)  # each jury member sits for the promotions assigned
    jury_foreign = make_user(Role.JURY, "jury_foreign")
    JuryPromotion.objects.create(user=users["jury"], programme=year.programme, academic_year=instance.academic_year)
    other_year, _ = AcademicYear.objects.get_or_create(start_year=2024)
    JuryPromotion.objects.create(user=jury_foreign, programme=year.programme, academic_year=other_year)
    return {D: users["direction"], S: users["secretariat"], OWNER: owner, FOREIGN: foreign,
            NONE: make_user(Role.TEACHER, "none"), JURY: users["jury"], JURY_FOREIGN: jury_foreign}


def staff_get_routes():
    for name, pattern in routes():
        if access_of(name) == Access.STAFF and not name.startswith("admin:"):
            yield name, pattern


def test_every_staff_route_says_who_reads_it():
    missing = [name for name, pattern in staff_get_routes() if reads_of(name) is None and "<" not in name
               and not _post_only(name)]
    assert not missing, f"say in READS who may read: {missing}"


def _post_only(name: str) -> bool:
    return name.split(":")[-1] in {
        "session_create", "proposals_accept", "decision_override", "session_close", "session_reopen",
        "session_publish", "semester_lock", "student_import_confirm", "student_import_undo", "group_delete",
        "responsible_delete", "grade_save", "evaluation_import_confirm", "import_undo", "missing_grades",
        "jury_publication", "student_accounts", "enrolment_bulk", "evaluation_plan_copy", "user_roles", "user_sign_in",
        "user_active", "responsibility_create", "responsibility_delete", "referentiel_confirm", "matrix_findings",
        "past_results_confirm", "past_results_undo", "student_justify", "justification_decide",
        "absence_import_confirm", "roll_call_abs", "attendance_contact", "next_year_open",
        "bulletin_settings"}


def test_every_staff_page_answers_each_role_as_the_table_says(client, people, world):
    wrong = []
    for name, pattern in staff_get_routes():
        if _post_only(name):
            continue
        url = url_of(name, pattern, world)
        for role, user in people.items():
            client.force_login(user)
            response = client.get(url)
            opened = response.status_code == 200 or (response.status_code == 302 and not is_login_redirect(response))
            refused = response.status_code in REFUSED
            expected = role in reads_of(name)
            if (expected and not opened) or (not expected and not refused):
                wrong.append((name, role, response.status_code))
    assert not wrong, "\n".join(map(str, wrong))


def test_post_only_routes_refuse_every_role_outside_the_table(client, people, world):
    """The writes: a teacher or a jury member without the right never reaches a service (403/404/405 or a
    refusal message on the page)."""
    writers = {"grade_save": GRADERS, "evaluation_import_confirm": GRADERS, "import_undo": GRADERS,
               "missing_grades": GRADERS}
    for name, pattern in staff_get_routes():
        short = name.split(":")[-1]
        if short not in writers:
            continue
        url = url_of(name, pattern, world)
        for role, user in people.items():
            if role in writers[short]:
                continue
            client.force_login(user)
            assert client.post(url, {}).status_code in REFUSED, (name, role)


def test_the_incomplete_page_shows_grades_only_to_those_who_may_grade_the_evaluation(client, people, year):
    from django.urls import reverse

    from grading.models import Grade
    evaluation = year.evaluations["DS1"]
    Grade.objects.filter(evaluation=evaluation, enrolment__student=year.bob).delete()  # Bob's grade is missing
    url = reverse("grading:evaluation_incomplete", args=[evaluation.pk])
    for role in (D, S, OWNER, FOREIGN, JURY):
        client.force_login(people[role])
        page = client.get(url).content.decode()
        assert ("14,25" in page) == (role in GRADERS), role  # Alice's grade
        assert "Boucher" in page or "BOUCHER" in page, role  # who is missing


def test_with_the_department_choice_every_jury_member_reads_every_promotion(client, people, year):
    from django.urls import reverse

    from grading.services.promotions import jury_every_promotion_set
    url = reverse("grading:semester_results", args=[year.instances[1].pk])
    client.force_login(people[JURY_FOREIGN])
    assert client.get(url).status_code == 403
    jury_every_promotion_set(value=True, user=people[D])
    client.force_login(people[JURY_FOREIGN])  # a new request reads the choice again
    assert client.get(url).status_code == 200


def test_direction_assigns_a_jury_member_to_a_promotion_on_its_page_journaled(client, people, year):
    from django.urls import reverse

    from grading.models import AuditEntry
    instance = year.instances[1]
    client.force_login(people[D])
    page = client.get(reverse("jury:members"))
    names = [f.label for f in page.context["form"].promotion_fields()]
    index = names.index(f"{year.programme.code} {instance.academic_year}")
    response = client.post(reverse("jury:members"), {f"p{index}": [people[JURY].pk, people[JURY_FOREIGN].pk]})
    assert response.status_code == 302
    assert set(JuryPromotion.objects.filter(programme=year.programme, academic_year=instance.academic_year)
               .values_list("user__username", flat=True)) == {"jury", "jury_foreign"}
    assert AuditEntry.objects.filter(field=f"jury {instance.academic_year}").count() == 1
    client.force_login(people[JURY_FOREIGN])  # now sits for it
    assert client.get(reverse("grading:semester_results", args=[instance.pk])).status_code == 200
