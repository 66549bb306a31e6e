"""What users and operators see around the pages: the icon, quiet refusals, which database `make run` uses."""
import logging
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from butgmp.log_filters import ForbiddenWithoutTraceback
from butgmp.management.commands.show_database import describe_database

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


@pytest.mark.django_db
def test_every_page_links_the_icon_and_favicon_ico_leads_to_it(client, users):
    client.force_login(users["secretariat"])
    page = client.get(reverse("dashboard:home")).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/favicon.svg"
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon["Content-Type"] == "image/svg+xml"
    assert b"<svg" in b"".join(icon.streaming_content)


@pytest.mark.django_db
def test_a_refused_page_is_logged_in_one_line_without_traceback(client, users, caplog):
    client.force_login(users["student"])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(reverse("grading:semester_list")).status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert [r.getMessage() for r in records] == ["Forbidden (Permission denied): /notes/"]
    assert records[0].exc_info is None


def test_other_errors_keep_their_traceback():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error", (),
                                   sys.exc_info())
    record.status_code = 500
    assert ForbiddenWithoutTraceback().filter(record)
    assert record.exc_info is not None


@pytest.mark.django_db
def test_show_database_says_which_database_without_its_password():
    out = StringIO()
    call_command("show_database", stdout=out)
    assert out.getvalue().startswith("Base de données : ")
    described = describe_database({"NAME": "butgmp", "HOST": "db.example.fr", "PORT": 5432, "USER": "gmp",
                                   "PASSWORD": "secret"}, "postgresql")
    assert described == "PostgreSQL, base butgmp sur db.example.fr:5432 (utilisateur gmp)"
    assert describe_database({"NAME": "/srv/db.sqlite3"}, "sqlite") == "SQLite, fichier /srv/db.sqlite3"
