"""Set up the department `bench/load.py` drives, through the application's services; print its plan as JSON.

Run by bench/load.py in a subprocess against its own database (DATABASE_URL), after migrate and
load_programmes. Not for a real database: it creates users with random passwords and open sessions.
"""
import json
import os
import random
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "butgmp.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.models import Group as AuthGroup  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402

from butgmp.roles import Role  # noqa: E402
from curriculum.models import Programme  # noqa: E402
from grading.models import Grade  # noqa: E402
from grading.selectors import grade_entry  # noqa: E402
from grading.services.enrolments import StudentRow, students_enrol  # noqa: E402
from grading.services.evaluations import evaluation_create  # noqa: E402
from grading.services.grades import grades_import  # noqa: E402
from grading.services.semesters import semester_instance_create  # noqa: E402

PROGRAMME = "dijon-mpi-alternance-2022"
START_YEAR = 2030
STUDENTS = 70
SECRETARIES = 20
JURY = 5
STUDENT_READERS = 50
CSRF_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def user(username: str, role: str, first: str, last: str) -> User:
    account = User.objects.create_user(username=username, first_name=first, last_name=last,
                                       password=get_random_string(24))
    account.groups.add(AuthGroup.objects.get(name=role))
    return account


def session_for(account: User) -> tuple[str, str]:
    """Open a logged-in session for the account; return (Cookie header, CSRF secret)."""
    store = SessionStore()
    store[SESSION_KEY] = str(account.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = account.get_session_auth_hash()
    store.create()
    csrf = get_random_string(32, CSRF_CHARS)
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}", csrf


def report_path(instance) -> str:
    """The jury's year report of the instance's year (S3–S4)."""
    return reverse("jury:report", kwargs={"kind": "annee", "pk": instance.pk})


def main() -> None:
    rng = random.Random(2030)
    programme = Programme.objects.get(code=PROGRAMME)
    s3 = programme.semesters.get(number=3)
    s4 = programme.semesters.get(number=4)
    instance = semester_instance_create(semester=s3, start_year=START_YEAR, label="charge")
    semester_instance_create(semester=s4, start_year=START_YEAR, label="charge")
    rows = [StudentRow(ine=f"LOAD{i:07d}", last_name=f"Étudiant{i:02d}", first_name="Charge",
                                parcours=programme.parcours, groups=("A" if i % 2 else "B",))
            for i in range(STUDENTS)]
    students_enrol(semester_instance=instance, rows=rows)
    enrolments = list(grade_entry.enrolments(semester_instance=instance))

    secretaries = [user(f"sec{i:02d}", Role.SECRETARIAT, f"Secrétaire {i}", "Charge") for i in range(SECRETARIES)]
    jury = [user(f"jury{i}", Role.JURY, f"Juré {i}", "Charge") for i in range(JURY)]
    modules = list(s3.modules.exclude(kind="portfolio").order_by("order", "code"))
    plan = {"secretaries": [], "jury": [], "students": []}
    for i, account in enumerate(secretaries):
        module = modules[i % len(modules)]
        evaluation = evaluation_create(semester_instance=instance, module=module,
                                                title=f"Contrôle {i // len(modules) + 1}", coefficient=Decimal(1))
        # Half the class already has a grade: saves both create and change grades.
        initial = [(e.pk, f"{rng.randrange(0, 81) / 4:.2f}") for e in enrolments if rng.random() < 0.5]
        grades_import(evaluation=evaluation, rows=initial, user=account, filename="initial.xlsx")
        versions = dict(Grade.objects.filter(evaluation=evaluation).values_list("enrolment_id", "version"))
        cookies, csrf = session_for(account)
        plan["secretaries"].append({
            "cookies": cookies, "csrf": csrf,
            "save_path": reverse("grading:grade_save", args=[0]).replace("/0/", "/{evaluation}/"),
            "cells": [{"evaluation_id": evaluation.pk, "enrolment_id": e.pk, "max_score": 20,
                       "version": versions.get(e.pk, 0)} for e in enrolments],
        })
    for account in jury:
        cookies, _csrf = session_for(account)
        plan["jury"].append({"cookies": cookies, "path": report_path(instance)})
    for i, enrolment in enumerate(enrolments[:STUDENT_READERS]):
        account = user(f"etu{i:02d}", Role.STUDENT, enrolment.student.first_name, enrolment.student.last_name)
        enrolment.student.user = account
        enrolment.student.save(update_fields=["user"])
        cookies, _csrf = session_for(account)
        plan["students"].append({"cookies": cookies, "path": reverse("portal:my_results")})
    json.dump(plan, sys.stdout)


if __name__ == "__main__":
    main()
