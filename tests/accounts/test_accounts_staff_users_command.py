"""`staff_users`: the staff accounts as JSON; an unknown --user is refused in French with exit 1."""
import json
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import AccountProfile


def run(**options) -> list[dict]:
    out = StringIO()
    call_command("staff_users", stdout=out, **options)
    return json.loads(out.getvalue())


def test_it_lists_staff_with_roles_sign_in_and_last_login(users):
    teacher = users["teacher"]
    teacher.last_login = datetime(2026, 7, 1, 6, 30, tzinfo=UTC)
    teacher.save()
    AccountProfile.objects.create(user=teacher, cas_id="e.enseignant", local_login_allowed=True)
    listed = run()
    assert [row["login"] for row in listed] == ["direction", "enseignant", "jury", "secretariat"]  # by last name
    assert run(user="enseignant") == [{
        "login": "enseignant", "name": "Eric Enseignant", "email": "", "roles": ["Enseignant"], "active": True,
        "cas_id": "e.enseignant", "local_login_allowed": True, "has_password": True,
        "last_login": "2026-07-01T08:30:00+02:00"}]


def test_an_unknown_or_student_login_is_refused(users):
    for login in ["personne", "etudiant"]:
        with pytest.raises(CommandError, match=f"Aucun compte du personnel n'a l'identifiant « {login} »."):
            run(user=login)
