"""Every route of the URLconf, requested as anonymous and as a student: staff routes refuse them.

The table ROUTES classifies every route by name; a route missing from it fails the test, so that each new page
is classified by whoever adds it. ARGUMENTS says which object of the fixture fills each URL argument, by the
path segment before it (`semestres/<int:pk>/` is a semester instance) or by its name.
"""
from enum import StrEnum

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db


class Access(StrEnum):
    PUBLIC = "public"  # anyone, logged in or not (login, set-password link)
    LOGGED_IN = "logged_in"  # any logged-in user
    STUDENT = "student"  # a student's own pages, on their own data only
    STAFF = "staff"  # staff only: anonymous users and students are refused


ROUTES = {
    "dashboard:home": Access.LOGGED_IN,
    "login": Access.PUBLIC,
    "logout": Access.PUBLIC,
    "password_set": Access.PUBLIC,
    "password_set_done": Access.PUBLIC,
    "password_change": Access.LOGGED_IN,
    "password_change_done": Access.LOGGED_IN,
    "curriculum:programme_list": Access.STAFF,
    "curriculum:programme_detail": Access.STAFF,
    "curriculum:programme_xlsx": Access.STAFF,
    "curriculum:programme_semester_xlsx": Access.STAFF,
    "curriculum:programme_semester_pdf": Access.STAFF,
    "grading:semester_list": Access.STAFF,
    "grading:semester_create": Access.STAFF,
    "grading:semester_detail": Access.STAFF,
    "grading:semester_lock": Access.STAFF,
    "grading:semester_results": Access.STAFF,
    "grading:semester_results_export": Access.STAFF,
    "grading:enrolment_list": Access.STAFF,
    "grading:enrolment_export": Access.STAFF,
    "grading:student_import": Access.STAFF,
    "grading:student_detail": Access.STAFF,
    "grading:enrolment_edit": Access.STAFF,
    "grading:group_list": Access.STAFF,
    "grading:group_delete": Access.STAFF,
    "grading:responsible_list": Access.STAFF,
    "grading:responsible_delete": Access.STAFF,
    "grading:module_grid": Access.STAFF,
    "grading:evaluation_create": Access.STAFF,
    "grading:evaluation_grid": Access.STAFF,
    "grading:evaluation_edit": Access.STAFF,
    "grading:grade_save": Access.STAFF,
    "grading:grade_history": Access.STAFF,
    "grading:evaluation_export": Access.STAFF,
    "grading:evaluation_import": Access.STAFF,
    "grading:evaluation_import_confirm": Access.STAFF,
    "grading:import_undo": Access.STAFF,
    "portal:my_results": Access.STUDENT,
    "portal:my_notices": Access.STUDENT,
    "portal:my_bulletin_pdf": Access.STUDENT,
    "portal:api_semesters": Access.STUDENT,
    "portal:api_bulletin": Access.STUDENT,
    "portal:publication": Access.STAFF,
    "portal:jury_publication": Access.STAFF,
    "portal:bulletin_batches": Access.STAFF,
    "portal:bulletin_batch_download": Access.STAFF,
    "portal:bulletin_settings": Access.STAFF,
    "portal:student_bulletin_pdf": Access.STAFF,
    "portal:student_accounts": Access.STAFF,
    "grading:student_import_confirm": Access.STAFF,
    "grading:student_import_undo": Access.STAFF,
    "grading:grid_averages": Access.STAFF,
    "grading:evaluation_incomplete": Access.STAFF,
    "grading:missing_grades": Access.STAFF,
    "grading:student_search": Access.STAFF,
    "grading:student_record": Access.STAFF,
    "grading:student_identity_edit": Access.STAFF,
    "grading:enrolment_bulk": Access.STAFF,
    "grading:evaluation_plan": Access.STAFF,
    "grading:roll_call": Access.STAFF,
    "grading:roll_call_list": Access.STAFF,
    "grading:roll_call_slot": Access.STAFF,
    "grading:roll_call_abs": Access.STAFF,
    "grading:student_absence": Access.STAFF,
    "grading:student_justify": Access.STAFF,
    "grading:justification_list": Access.STAFF,
    "grading:attendance_settings": Access.STAFF,
    "grading:attendance_contact": Access.STAFF,
    "grading:absence_import": Access.STAFF,
    "grading:absence_import_confirm": Access.STAFF,
    "grading:justification_decide": Access.STAFF,
    "grading:justification_document": Access.STAFF,
    "portal:my_justifications": Access.STUDENT,
    "portal:my_justification_document": Access.STUDENT,
    "grading:evaluation_plan_copy": Access.STAFF,
    "grading:teacher_results": Access.STAFF,
    "grading:teacher_results_export": Access.STAFF,
    "grading:module_statistics": Access.STAFF,
    "grading:evaluation_statistics": Access.STAFF,
    "grading:cohort_flow": Access.STAFF,
    "curriculum:matrix_edit": Access.STAFF,
    "curriculum:matrix_findings": Access.STAFF,
    "curriculum:programme_new_version": Access.STAFF,
    "curriculum:referentiel_upload": Access.STAFF,
    "curriculum:referentiel_confirm": Access.STAFF,
    "grading:past_results": Access.STAFF,
    "grading:past_results_confirm": Access.STAFF,
    "grading:past_results_undo": Access.STAFF,
    "jury:*": Access.STAFF,  # every page of the jury (reports, sheets, sessions, PV, next year and its export)
    "grading:student_list_export": Access.STAFF,
    "accounts:cas_login": Access.PUBLIC,  # 404 while CAS is off
    "accounts:password_forgotten": Access.PUBLIC,
    "accounts:password_forgotten_done": Access.PUBLIC,
    "accounts:password_reset_confirm": Access.PUBLIC,
    "accounts:password_reset_complete": Access.PUBLIC,
    "accounts:*": Access.STAFF,  # the users pages (Direction only)
    "favicon": Access.PUBLIC,
    "admin:login": Access.PUBLIC,
    "admin:logout": Access.PUBLIC,
    "admin:*": Access.STAFF,  # every other page of the admin site (is_staff users only)
}

# Which fixture object fills a URL argument: by the path segment before it, else by the argument's name.
ARGUMENTS = {
    ("semestres", "pk"): "instance", ("evaluations", "pk"): "evaluation", ("jurys", "pk"): "jury_session",
    ("etudiants", "enrolment_pk"): "enrolment", ("historique", "enrolment_pk"): "enrolment",
    ("groupes", "group_pk"): "group", ("responsables", "responsible_pk"): "responsible",
    ("modules", "module_pk"): "module", ("imports", "batch_pk"): "import_batch",
    ("bulletins", "batch_pk"): "bulletin_batch", ("mes-resultats", "instance_pk"): "instance",
    ("semestres", "instance_pk"): "instance", ("rapport", "pk"): "instance", ("rapport", "kind"): "report_kind",
    (None, "pk"): "instance", ("etudiants", "student_pk"): "student", ("etudiants", "pk"): "student",
    ("imports", "batch"): "student_list_batch",
    ("utilisateurs", "pk"): "staff_user", ("modules", "instance_pk"): "instance",
    ("retirer", "responsibility_pk"): "responsible",
    ("resultats-anterieurs", "batch"): "student_list_batch",
    ("exports", "pk"): "apogee_export",
    ("appels", "slot_pk"): "attendance_slot",
    ("justificatifs", "pk"): "justification", ("mes-justificatifs", "pk"): "justification",
    "fmt": "report_format",
    "code": "programme_code", "number": "semester_number", "uidb64": "uidb64", "token": "token",
    # the admin refuses before it reads its arguments
    "app_label": "app_label", "object_id": "one", "content_type_id": "one", "id": "one", "url": "unknown_path",
}
REFUSED = {401, 403, 404, 405}


def routes(patterns=None, prefix="", namespace=""):
    """Yield (name, pattern text) for every route of the URLconf."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield namespace + (pattern.name or "<unnamed>"), prefix + str(pattern.pattern)


def access_of(name: str) -> Access | None:
    if name in ROUTES:
        return ROUTES[name]
    namespace = name.split(":")[0]
    return ROUTES.get(f"{namespace}:*") if ":" in name else None


def kwargs_of(pattern: str, values: dict) -> dict:
    kwargs = {}
    for segment, argument in _arguments(pattern):
        key = ARGUMENTS.get((segment, argument)) or ARGUMENTS.get(argument)
        assert key, f"ARGUMENTS does not say what fills <{argument}> after '{segment}/' in {pattern}"
        kwargs[argument] = values[key]
    return kwargs


def _arguments(pattern: str):
    import re

    for match in re.finditer(r"(?:([\w-]+)/)?[\w.-]*<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", pattern):
        yield match.group(1), match.group(2) or match.group(3)


def url_of(name: str, pattern: str, values: dict) -> str:
    kwargs = kwargs_of(pattern, values)
    if name.endswith("<unnamed>"):
        return "/admin/" + values["unknown_path"]
    return reverse(name, kwargs=kwargs or None)


def is_login_redirect(response) -> bool:
    location = response.get("Location", "")
    return response.status_code == 302 and (location.startswith(reverse(settings.LOGIN_URL))
                                            or location.startswith(reverse("admin:login")))


def methods(name: str, client):
    """GET and POST; GET alone on the admin site, whose one wrapper refuses both alike."""
    return (client.get,) if name.startswith("admin:") else (client.get, client.post)


def test_every_route_is_classified():
    unclassified = [name for name, _ in routes() if access_of(name) is None]
    assert not unclassified, f"classify these routes in ROUTES: {unclassified}"


def test_anonymous_users_get_only_public_routes(client, world):
    for name, pattern in routes():
        if access_of(name) == Access.PUBLIC:
            continue
        url = url_of(name, pattern, world)
        for method in methods(name, client):
            response = method(url)
            assert is_login_redirect(response) or response.status_code in REFUSED, (name, url, response.status_code)


def test_a_student_is_refused_every_staff_route(student_client, world):
    for name, pattern in routes():
        if access_of(name) != Access.STAFF:
            continue
        url = url_of(name, pattern, world)
        for method in methods(name, student_client):
            response = method(url)
            assert is_login_redirect(response) or response.status_code in REFUSED, (name, url, response.status_code)


def test_the_arguments_name_real_objects_so_refusals_are_not_mere_404s(client, users, world):
    client.force_login(users["direction"])
    for name, pattern in routes():
        if access_of(name) == Access.STAFF and not name.startswith("admin:"):
            url = url_of(name, pattern, world)
            assert client.get(url).status_code != 404, (name, url)


def test_a_student_opens_each_of_their_own_routes(student_client, world):
    for name, pattern in routes():
        if access_of(name) == Access.STUDENT:
            url = url_of(name, pattern, world)
            response = student_client.get(url)
            assert response.status_code in (200, 405), (name, url, response.status_code)
