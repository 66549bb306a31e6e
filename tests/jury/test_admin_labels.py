"""Nothing writes around a lock (R19) in the admin: on a closed jury's programme a UE's title and a competence's
name stay editable and are journaled, what the figures depend on (ECTS, coefficients) stays refused, and the closed
jury's record keeps the labels it printed."""
import pytest
from django.contrib.auth.models import User

from curriculum.models import UE, Competence, ModuleUE, ProgrammeChange, ReferenceChange
from grading.selectors.jury_records import recorded_students
from jury.decisions import proposals_accept
from jury.sessions import session_close

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("chef", "chef@example.org", "pw"))
    return client


@pytest.fixture
def closed(users, clean_promotion, open_session):
    session = open_session(clean_promotion)
    proposals_accept(session=session, user=users["jury"])
    return session_close(session=session, user=users["jury"])


def printed(session) -> tuple[dict, dict]:
    row = recorded_students(session=session)[0]
    return {ue.code: ue.title for ue in row.ues}, {r.key: r.competence for r in row.rcues}


def inline_management(prefix: str, total: int) -> dict:
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(total),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def test_a_ue_title_stays_editable_and_journaled_its_ects_do_not_and_the_record_keeps_the_old(admin_client,
                                                                                             clean_promotion, closed):
    titles, _ = printed(closed)
    ue = UE.objects.get(semester=clean_promotion.s3.semester, code="UE3.1")
    url = f"/admin/curriculum/ue/{ue.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert 'name="title"' in page and 'name="ects"' not in page  # only the label is a field
    response = admin_client.post(url, {"title": "Spécifier (renommé)", "ects": "30", "code": "UE9.9",
                                       **inline_management("module_rows", ue.module_rows.count())})
    assert response.status_code == 302
    ue.refresh_from_db()
    assert (ue.title, ue.code, str(ue.ects)) == ("Spécifier (renommé)", "UE3.1", "7.5")
    change = ProgrammeChange.objects.get(subject="UE3.1", field="intitulé")
    assert (change.old_value, change.new_value, change.source) == (titles["UE3.1"], "Spécifier (renommé)", "admin")
    assert printed(closed)[0] == titles  # the closed record keeps what it printed


def test_a_coefficient_of_a_closed_jurys_programme_is_refused_in_the_admin(admin_client, clean_promotion, closed):
    row = ModuleUE.objects.filter(ue__semester=clean_promotion.s3.semester).first()
    response = admin_client.post(f"/admin/curriculum/moduleue/{row.pk}/change/", {
        "module": row.module_id, "ue": row.ue_id, "coefficient": "9", "cm": "0", "td": "0", "tp": "0",
        "project": "0"})
    assert response.status_code == 403
    assert ModuleUE.objects.get(pk=row.pk).coefficient == row.coefficient


def test_a_competence_renamed_in_the_admin_is_journaled_and_the_record_keeps_the_old_name(admin_client, closed):
    _, competences = printed(closed)
    competence = Competence.objects.get(levels__ues__semester__programme=closed.semester_instances.first()
                                        .semester.programme, levels__ues__code="UE3.1")
    old_name, code, number = competence.name, competence.code, competence.number
    levels = sorted(competence.levels.values_list("level", flat=True))
    data = {"speciality": competence.speciality_id, "code": "ZZ", "number": 9,
            "short_name": competence.short_name, "name": "Nouvel intitulé", "parcours": "",
            **inline_management("levels", competence.levels.count())}
    for n, level in enumerate(competence.levels.order_by("pk")):
        data.update({f"levels-{n}-id": level.pk, f"levels-{n}-competence": competence.pk,
                     f"levels-{n}-level": 3, f"levels-{n}-label": level.label})
    response = admin_client.post(f"/admin/curriculum/competence/{competence.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    change = ReferenceChange.objects.get(field="intitulé")
    assert (change.old_value, change.new_value, change.source, change.user.username) == (
        old_name, "Nouvel intitulé", "admin", "chef")
    assert printed(closed)[1] == competences
    # what makes the RCUEs (code, number, levels) is read-only while a closed jury's programme uses it
    competence.refresh_from_db()
    assert (competence.name, competence.code, competence.number) == ("Nouvel intitulé", code, number)
    assert sorted(competence.levels.values_list("level", flat=True)) == levels
