"""Uploads kept between their preview and their confirmation, in the user's session.

An import (a grade sheet, a student list) is read and checked once, shown as a preview, and written only when the
user confirms it: what the confirmation needs is kept in the session under a random token, a few per kind at most
(the session stays small), and taken out once used. The confirmation checks the kept rows again against the
database (versions, a signature of the students and groups), so a stale preview is refused, never written.
"""
import secrets
from dataclasses import asdict

from grading.services.student_lists import ListedStudent

GRADE_IMPORTS = "grading_imports"
STUDENT_LISTS = "grading_student_lists"
KEPT = {GRADE_IMPORTS: 5, STUDENT_LISTS: 3}  # previews kept per kind: the latest ones


def _keep(session, kind: str, payload: dict) -> str:
    token = secrets.token_urlsafe(16)
    stored = dict(list(session.get(kind, {}).items())[-(KEPT[kind] - 1):])
    stored[token] = payload
    session[kind] = stored
    return token


def _take(session, kind: str, token: str) -> dict | None:
    stored = session.get(kind, {})
    pending = stored.pop(token, None)
    session[kind] = stored
    return pending


def grade_import_keep(session, *, evaluation_id: int, filename: str, rows, diff, exported) -> str:
    """Keep a previewed grade import; return its token."""
    return _keep(session, GRADE_IMPORTS, {
        "evaluation": evaluation_id, "filename": filename, "rows": rows,
        "versions": {str(k): v for k, v in diff.versions.items()},
        "exported": {str(k): list(v) for k, v in exported.items()},
        "conflicts": [c.enrolment_id for c in diff.conflicts]})


def grade_import_peek(session, *, evaluation_id: int, token: str) -> dict | None:
    """Return the kept import of this evaluation (still kept), or None: expired, or another evaluation's."""
    pending = session.get(GRADE_IMPORTS, {}).get(token)
    return pending if pending is not None and pending["evaluation"] == evaluation_id else None


def grade_import_take(session, *, token: str) -> None:
    """Forget a kept import once its confirmation ran."""
    _take(session, GRADE_IMPORTS, token)


def grade_import_arguments(pending: dict) -> dict:
    """Return the kept import as the keyword arguments of `grades_import`."""
    return {"rows": [tuple(r) for r in pending["rows"]], "filename": pending["filename"],
            "expected_versions": {int(k): v for k, v in pending["versions"].items()},
            "exported": {int(k): tuple(v) for k, v in pending["exported"].items()}}


def student_list_keep(session, *, instance_id: int, filename: str, upload, plan) -> str:
    """Keep a previewed student list; return its token."""
    return _keep(session, STUDENT_LISTS, {
        "instance": instance_id, "filename": filename, "new_groups": upload.new_groups,
        "rows": [asdict(r) for r in upload.rows], "signature": plan.signature()})


def student_list_take(session, *, instance_id: int, token: str) -> dict | None:
    """Take the kept list of this semester out of the session (None: expired, or another semester's), with its
    rows read back as `ListedStudent`s."""
    pending = _take(session, STUDENT_LISTS, token)
    if pending is None or pending["instance"] != instance_id:
        return None
    rows = [ListedStudent(**{k: tuple(v) if k == "groups" and v is not None else v for k, v in r.items()})
            for r in pending["rows"]]
    return {**pending, "rows": rows}
