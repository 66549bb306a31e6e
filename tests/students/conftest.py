"""Fixtures of the students' tests (the year itself is built by students_world.build_year)."""
import pytest
from django.contrib.auth.models import Group as AuthGroup
from students_world import build_year

from butgmp.roles import Role


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Run background tasks at once (the worker's own test runs the database backend)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


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

