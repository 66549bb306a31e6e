"""Several application servers behind one proxy share PostgreSQL and keep no state of their own (README, "Growing
past one machine"): two gunicorn processes on the test database, one browser session used on both.

A login on one server is valid on the other (sessions in the database), a grade saved on one shows at once in the
results the other had cached (cache keys carry the database's results version), and a logout on one ends the
session on both. Run with each process's own memory cache (the default) and with a shared Redis when one answers.
"""
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.urls import reverse

from butgmp.roles import Role
from grading.models import Enrolment
from grading.services.evaluations import evaluation_create
from grading.services.grades import grade_set

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Plusieurs-serveurs-2026"
pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="servers share PostgreSQL"),
    # the servers read what the test commits; marked (not only a fixture) so that pytest-django runs it after the
    # tests that roll back, which rely on the rows the migrations made (the roles) that its flush removes
    pytest.mark.django_db(transaction=True),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


class Server:
    """One gunicorn process on the test database."""

    def __init__(self, cache_url: str, prefix: str):
        self.port = free_port()
        settings = connection.settings_dict
        env = {**os.environ, "DATABASE_URL": f"postgresql://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/"
                                             f"{settings['NAME']}",
               "SECRET_KEY": "several-servers-test-key", "DEBUG": "true", "CONN_MAX_AGE": "0",
               "CACHE_URL": cache_url, "CACHE_KEY_PREFIX": prefix, "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "butgmp.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{self.port}",
             "--log-level", "warning"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url(reverse("login")), timeout=2).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(self.process.stderr.read().decode()) from None
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within 30 s")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.process.stderr.close()


class Browser:
    """One person's cookies, sent to whichever server the proxy picks."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies),
                                                  NoRedirect())

    def cookie(self, name: str) -> str:
        return next(c.value for c in self.cookies if c.name == name)

    def get(self, server: Server, path: str) -> tuple[int, str]:
        return self.send(urllib.request.Request(server.url(path)))

    def post(self, server: Server, path: str, data: dict) -> tuple[int, str]:
        request = urllib.request.Request(server.url(path), data=urllib.parse.urlencode(data).encode(), headers={
            "X-CSRFToken": self.cookie("csrftoken"), "Referer": server.url(path)})
        return self.send(request)

    def send(self, request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None  # a redirect is an answer to look at (the login page), not to follow


@pytest.fixture(params=["memory", "redis"])
def servers(request, db):
    if request.param == "redis" and not redis_answers():
        pytest.skip("no Redis on 127.0.0.1:6379")
    cache_url = "redis://127.0.0.1:6379/0" if request.param == "redis" else ""
    prefix = f"test-{uuid.uuid4().hex}"
    started = []
    try:
        for _ in range(2):
            started.append(Server(cache_url, prefix))
        yield started
    finally:
        for server in started:
            server.stop()


def test_two_servers_share_sessions_results_and_logouts(servers, make_user, make_semester_instance):
    first, second = servers
    secretary = make_user(Role.SECRETARIAT, "secretaire", first_name="Sacha", last_name="Secrétaire")
    secretary.password = PBKDF2PasswordHasher().encode(PASSWORD, "severalservers")  # the servers' own hasher
    secretary.save(update_fields=["password"])
    instance = make_semester_instance(students=3)
    module = instance.semester.modules.order_by("code").first()
    evaluation = evaluation_create(semester_instance=instance, module=module, title="DS1",
                                            coefficient=Decimal("1"), max_score=Decimal("20"))
    enrolment, *classmates = Enrolment.objects.filter(semester_instance=instance).order_by("id")
    for someone, grade in zip([enrolment, *classmates], ["10", "9", "11"], strict=True):  # complete (R2)
        grade_set(evaluation=evaluation, enrolment_id=someone.pk, raw=grade, expected_version=0,
                           user=secretary)
    results = reverse("grading:semester_results", args=[instance.pk])
    save = reverse("grading:grade_save", args=[evaluation.pk])

    person = Browser()
    assert person.get(first, reverse("login"))[0] == 200
    status, _ = person.post(first, reverse("login"), {"username": "secretaire", "password": PASSWORD,
                                                       "csrfmiddlewaretoken": person.cookie("csrftoken")})
    assert status == 302  # logged in on the first server…
    status, page = person.get(second, results)
    assert status == 200 and "Sacha Secrétaire" in page  # …and known to the second

    def average_shown(server: Server) -> str | None:
        status, page = person.get(server, results)
        assert status == 200
        row = re.search(rf"{re.escape(enrolment.student.last_name.upper())}.*?</tr>", page, re.S)
        figures = re.findall(r"\b\d{1,2},\d\d\b", row.group(0)) if row else []
        return figures[0] if figures else None

    assert average_shown(first) == "10,00"  # the first server has cached that
    status, body = person.post(second, save, {"enrolment": enrolment.pk, "value": "12,5", "version": 1})
    assert status == 200, body
    assert average_shown(first) == "12,50"  # the second server's save shows on the first at once
    status, body = person.post(first, save, {"enrolment": enrolment.pk, "value": "14", "version": 2})
    assert status == 200, body
    assert average_shown(second) == "14,00"
    assert average_shown(first) == "14,00"

    assert person.post(second, reverse("logout"), {})[0] == 302
    status, _ = person.get(first, results)
    assert status == 302  # logged out everywhere: the first server sends to the login page
