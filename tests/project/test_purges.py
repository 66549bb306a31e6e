"""The purges the worker runs: each removes what is past its kept time and nothing newer."""
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from butgmp import purges
from butgmp.mail import message_deliver
from butgmp.worker import LeasingWorker
from grading.models import BulletinBatch
from grading.purges import bulletin_batches_purge


def aged(model, field: str, days: int, **values):
    row = model.objects.create(**values)
    model.objects.filter(pk=row.pk).update(**{field: timezone.now() - timedelta(days=days)})
    return row


@pytest.mark.django_db
def test_each_purge_removes_only_what_is_past_its_time(settings, users, make_semester_instance):
    settings.LOGIN_ATTEMPTS_DAYS = settings.FINISHED_TASKS_DAYS = settings.BULLETIN_BATCHES_DAYS = 30
    old = aged(AccessFailureLog, "attempt_time", 31, username="a", ip_address="203.0.113.1", user_agent="x")
    recent = aged(AccessAttempt, "attempt_time", 29, username="b", ip_address="203.0.113.1", user_agent="x",
                  failures_since_start=1)
    assert purges.login_attempts_purge() == 1
    assert not AccessFailureLog.objects.filter(pk=old.pk).exists() and AccessAttempt.objects.filter(pk=recent.pk)

    expired, live = SessionStore(), SessionStore()
    expired.set_expiry(-10)
    expired.create()
    live.create()
    assert purges.sessions_purge() == 1 and list(Session.objects.values_list("pk", flat=True)) == [live.session_key]

    message = {"subject": "s", "body": "b", "from_email": "a@x.fr", "to": ["b@x.fr"], "cc": [], "bcc": [],
               "reply_to": [], "headers": {}, "alternatives": [], "attachments": []}
    done_long_ago, waiting = (message_deliver.enqueue(message=message).id for _ in range(2))
    DBTaskResult.objects.filter(pk=done_long_ago).update(status=TaskResultStatus.SUCCESSFUL,
                                                         finished_at=timezone.now() - timedelta(days=31))
    assert purges.finished_tasks_purge() == 1
    assert [str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)] == [str(waiting)]

    instance = make_semester_instance(students=1)
    for days in (31, 2):
        aged(BulletinBatch, "finished_at", days, semester_instance=instance, requested_by=users["secretariat"])
    assert bulletin_batches_purge() == 1 and BulletinBatch.objects.count() == 1


@pytest.mark.django_db
def test_the_worker_runs_every_purge_on_its_first_round_then_waits_the_interval(settings, monkeypatch):
    ran = []
    monkeypatch.setattr(purges, "sessions_purge", lambda: ran.append("sessions") or 0)
    settings.PURGES = ["butgmp.purges.sessions_purge"]
    settings.PURGE_INTERVAL_SECONDS = 3600
    worker = LeasingWorker(queue_names=["email"], interval=0, batch=True, backend_name="default",
                           startup_delay=False, max_tasks=None, worker_id="w")
    worker.periodic()
    worker.periodic()
    assert ran == ["sessions"]
