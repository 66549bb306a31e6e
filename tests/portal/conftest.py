"""Fixtures of the students' tests (the year itself is built by students_world.build_year)."""
import datetime

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.utils import timezone
from students_world import build_year, jury

from butgmp.roles import Role
from grading.models import (
    ApogeeExport,
    AttendanceSlot,
    BulletinBatch,
    Group,
    ImportBatch,
    Justification,
    ModuleResponsible,
)


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Run background tasks at once (the worker's own test runs the database backend)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                                  "QUEUES": ["default", "email"]}}


@pytest.fixture
def year(db, users, make_user):
    return build_year(users=users, make_user=make_user)


@pytest.fixture
def student_client(client, users):
    client.force_login(users["student"])
    return client


@pytest.fixture
def student_group(db):
    return AuthGroup.objects.get_or_create(name=Role.STUDENT)[0]


@pytest.fixture
def world(year, users):
    """One object of each kind a URL names (the urlconf sweep and the kept paths fill their arguments with it)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    instance = year.instances[1]
    evaluation = year.evaluations["DS1"]
    bulletin = BulletinBatch.objects.create(semester_instance=instance, requested_by=users["secretariat"],
                                            status=BulletinBatch.Status.DONE, pdf=b"%PDF-1.7", total=1, done=1,
                                            finished_at=timezone.now())
    session = jury(year, 1, user=users["direction"], published=False)
    export = ApogeeExport.objects.create(session=session, filename="maquette.txt", content=b"x", report={})
    return {
        "instance": instance.pk, "evaluation": evaluation.pk, "module": evaluation.module_id,
        "enrolment": year.enrolments[(year.alice.ine, 1)].pk,
        "group": Group.objects.create(semester_instance=instance, name="TD1").pk,
        "responsible": ModuleResponsible.objects.create(semester_instance=instance, module=evaluation.module,
                                                        user=users["teacher"]).pk,
        "import_batch": ImportBatch.objects.create(evaluation=evaluation, filename="notes.xlsx",
                                                   user=users["secretariat"]).pk,
        "bulletin_batch": bulletin.pk, "jury_session": session.pk,
        "apogee_export": export.pk,
        "programme_code": year.programme.code, "semester_number": 1,
        "uidb64": urlsafe_base64_encode(force_bytes(users["teacher"].pk)),
        "token": default_token_generator.make_token(users["teacher"]),
        "app_label": "grading", "one": "1", "unknown_path": "nulle-part/",
        "student": year.alice.pk, "report_kind": "annee", "report_format": "xlsx",
        "student_list_batch": f"etudiants-{instance.pk}-0123456789abcdef",
        "staff_user": users["teacher"].pk,
        "attendance_slot": AttendanceSlot.objects.create(
            semester_instance=instance, group=None, module=evaluation.module, date=datetime.date(2025, 10, 6),
            start=datetime.time(8), end=datetime.time(10), taken_by=users["secretariat"]).pk,
        "justification": Justification.objects.create(
            student=year.alice, first_day=datetime.date(2025, 10, 6), last_day=datetime.date(2025, 10, 6),
            document=b"%PDF-1.4 justificatif", content_type="application/pdf", filename="certificat.pdf").pk,
    }
