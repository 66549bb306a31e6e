"""Shared fixtures: users per role, and a small programme + semester instance factory (built by tests/worlds.py).

    make_user(Role.TEACHER, "prof")            -> a user in that role (password "pw")
    users["secretariat"]                      -> one user per role (direction, secretariat, teacher, jury, student)
    make_programme(number=1, ues=2, modules=2) -> a Programme with one Semester, its UEs, modules and ModuleUE rows
    make_semester_instance(students=3)         -> an open SemesterInstance with enrolled students and groups TD1/TD2
    real_programmes                            -> {code: Programme} of the module's `real_programmes` marker, loaded
                                                  from fixtures/ once per module (tests/real_programmes.py)
The browser tests' shared demo is in tests/shared_demo.py and tests/browser/conftest.py (`demo`).
"""
import pytest
from django.core.cache import cache

from curriculum.models import Programme
from tests import real_programmes as real
from tests import shared_demo, worlds

PASSWORD = worlds.PASSWORD


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Hash test passwords quickly (PBKDF2 takes half a second per user here)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start every test with an empty cache (the R2 counts of grading.grade_counts live there)."""
    cache.clear()


@pytest.fixture(scope="module", autouse=True)
def _no_shared_demo_left(request):
    """Flush the browser tests' committed demo (tests/shared_demo.py) before a module that does not use it."""
    if shared_demo.state.committed and request.node.get_closest_marker("shared_demo") is None:
        request.getfixturevalue("django_db_setup")
        with request.getfixturevalue("django_db_blocker").unblock():
            shared_demo.remove()


@pytest.fixture(scope="module", autouse=True)
def _real_programmes_of_the_module(request):
    """Load the programmes named by the module's `real_programmes` marker once, before its first test, in a
    transaction that its tests' own transactions nest in and that is rolled back after its last test."""
    marker = request.node.get_closest_marker("real_programmes")
    if marker is None:
        yield None
        return
    request.getfixturevalue("django_db_setup")
    blocker = request.getfixturevalue("django_db_blocker")
    codes = tuple(marker.args)
    with worlds.module_transaction(blocker):
        with blocker.unblock():
            real.load(codes)
        yield codes


@pytest.fixture
def real_programmes(_real_programmes_of_the_module, db) -> dict[str, Programme]:
    """The module's real programmes by code, loaded again inside this test if a transactional test flushed them."""
    codes = _real_programmes_of_the_module
    if codes is None:
        pytest.fail("real_programmes: mark the module with pytest.mark.real_programmes(CODE, …)")
    return real.present(codes)


@pytest.fixture
def make_user(db):
    return worlds.user


@pytest.fixture
def users(db):
    return worlds.role_users()


@pytest.fixture(autouse=True)
def _jury_every_promotion(request):
    """The tests' jury member sits for every promotion (the department's choice), unless a test assigns them
    (the access sweep turns the choice off)."""
    if "demo" in request.fixturenames:
        return  # the demo sets the department's choice itself (and a browser test's demo flushes from a thread of
        # its own: a row written here in the test's transaction would hold the lock its flush waits for)
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in request.fixturenames or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
    elif "db" in request.fixturenames or marker:
        request.getfixturevalue("db")
    else:
        return
    from grading.models import AccessPolicy
    AccessPolicy.objects.update_or_create(pk=1, defaults={"jury_every_promotion": True})


@pytest.fixture
def make_programme(db):
    """Build a programme with one semester: `ues` UEs (competences C1…), `modules` resources feeding every UE."""
    return worlds.small_programme


@pytest.fixture
def make_semester_instance(db):
    """Open a semester of a (new) programme and enrol `students` students, split between groups TD1 and TD2."""
    return worlds.semester_instance
