"""A publication says how many e-mails were queued, and how many students concerned have no account yet (with the
link to create them): never « N prévenus » for N students when fewer e-mails go out."""
import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from grading.models import Evaluation, Grade, Student
from grading.naming import jury_label
from jury.sessions import session_close


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                                  "QUEUES": ["default", "email"]}}


def give_accounts(students, make_user, *, notices_off=()) -> None:
    for student in students:
        student.user = make_user(username=f"etu-{student.pk}")
        student.email = f"etu{student.pk}@example.fr"
        student.results_notices = student not in notices_off
        student.save(update_fields=["user", "email", "results_notices"])


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_publishing_a_jury_counts_the_emails_queued_and_the_students_without_an_account(
        client, users, make_user, clean_promotion, decided_session, immediate_tasks):
    students = list(Student.objects.filter(enrolments__semester_instance=clean_promotion.s4).distinct()
                    .order_by("pk"))
    give_accounts(students[:3], make_user, notices_off=students[2:3])
    session = session_close(session=decided_session(clean_promotion), user=users["jury"])
    concerned = Student.objects.filter(enrolments__semester_instance__in=session.semester_instances.all()).distinct()
    client.force_login(users["secretariat"])
    response = client.post(reverse("portal:jury_publication", args=[session.pk]))
    assert len(mail.outbox) == 2
    messages = said(response)
    assert (f"Décisions publiées ({jury_label(session)}) ; 2 courriel(s) d'avis mis en file d'envoi."
            in messages)
    without = concerned.count() - 3
    link = reverse("grading:enrolment_list", args=[session.semester_instances.order_by("pk").first().pk])
    assert (f"{without} étudiant(s) concerné(s) n'ont pas encore de compte : aucun courriel pour eux. "
            f"<a href=\"{link}\">Créer leurs comptes</a>.") in messages
    assert "1 étudiant(s) ont un compte sans adresse électronique ou ont désactivé les avis : aucun courriel." \
        in messages


def test_publishing_an_evaluation_counts_only_the_emails_queued(client, users, make_user, clean_promotion,
                                                                 immediate_tasks):
    evaluation = Evaluation.objects.filter(semester_instance=clean_promotion.s4).order_by("pk").first()
    Evaluation.objects.filter(pk=evaluation.pk).update(is_published=False)
    graded = list(Student.objects.filter(enrolments__grades__evaluation=evaluation).distinct().order_by("pk"))
    assert len(graded) == Grade.objects.filter(evaluation=evaluation).count() > 3
    give_accounts(graded[:1], make_user)
    client.force_login(users["secretariat"])
    response = client.post(reverse("portal:publication", args=[clean_promotion.s4.pk]),
                           {"target": "module", "module": evaluation.module_id, "published": "1"})
    assert [m.to for m in mail.outbox] == [[f"etu{graded[0].pk}@example.fr"]]
    messages = said(response)
    assert any(m.endswith("; 1 courriel(s) d'avis mis en file d'envoi.") for m in messages), messages
    assert any(m.startswith(f"{len(graded) - 1} étudiant(s) concerné(s) n'ont pas encore de compte")
               and reverse("grading:enrolment_list", args=[clean_promotion.s4.pk]) in m for m in messages)
