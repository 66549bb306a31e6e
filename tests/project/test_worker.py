"""The background worker never loses work (butgmp/worker.py), run as the real `run_worker` process on the test
database: a task whose worker died is reclaimed and finished by another; a worker whose database connection is cut
again and again goes on and runs what is queued; a task lost too many times is failed and its give-up hook called.
"""
import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from butgmp import worker
from butgmp.mail import message_deliver

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the worker process shares PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def start_worker(tmp_path: Path, *, app_name: str = "butgmp-worker-test", lease: int = 3) -> subprocess.Popen:
    settings = connection.settings_dict
    env = {**os.environ, "DATABASE_URL": f"postgresql://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/"
                                         f"{settings['NAME']}?application_name={app_name}",
           "DEBUG": "true", "BUTGMP_TASK_LEASE_SECONDS": str(lease), "PYTHONPATH": str(ROOT),
           "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", "EMAIL_FILE_PATH": str(tmp_path)}
    return subprocess.Popen([sys.executable, "manage.py", "run_worker", "--queue-name", "email", "--interval", "0.2",
                             "--no-startup-delay", "--no-reload", "-v", "0"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def stop(process: subprocess.Popen) -> str:
    process.terminate()
    process.wait(timeout=15)
    with process.stderr:
        return process.stderr.read().decode()


def wait_for(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def queue_message(subject: str) -> DBTaskResult:
    message = {"subject": subject, "body": "Bonjour", "from_email": "a@example.fr", "to": ["b@example.fr"],
               "cc": [], "bcc": [], "reply_to": [], "headers": {}, "alternatives": [], "attachments": []}
    return DBTaskResult.objects.get(pk=message_deliver.enqueue(message=message).id)


def sent_subjects(folder: Path) -> str:
    return "".join(p.read_text() for p in folder.glob("*.log"))


def test_a_task_whose_worker_died_is_reclaimed_and_finished_by_another_worker(tmp_path):
    row = queue_message("Releve perdu puis repris")
    long_ago = timezone.now() - timedelta(minutes=10)
    # what a worker killed by `kill -9` mid-task leaves: RUNNING, its id, a lease that has expired
    DBTaskResult.objects.filter(pk=row.pk).update(status=TaskResultStatus.RUNNING, worker_ids=["dead-worker"],
                                                  started_at=long_ago, run_after=long_ago + timedelta(minutes=1))
    process = start_worker(tmp_path)
    try:
        finished = wait_for(lambda: DBTaskResult.objects.get(pk=row.pk).status == TaskResultStatus.SUCCESSFUL)
    finally:
        log = stop(process)
    row.refresh_from_db()
    assert finished, log
    assert row.worker_ids[0] == "dead-worker" and len(row.worker_ids) == 2 and row.worker_ids[1] != "dead-worker"
    assert "Subject: Releve perdu puis repris" in sent_subjects(tmp_path)


def test_the_worker_goes_on_after_its_database_connections_are_cut(tmp_path):
    app_name = f"butgmp-worker-{uuid.uuid4().hex[:8]}"
    database = connection.ops.quote_name(connection.settings_dict["NAME"])
    process = start_worker(tmp_path, app_name=app_name)

    def cut() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = %s",
                           [app_name])
            return cursor.fetchone()[0]

    def allow_connections(allowed: bool) -> None:  # from the server's maintenance database: not on the current one
        settings = connection.settings_dict
        with psycopg.connect(host=settings["HOST"], port=settings["PORT"], user=settings["USER"], dbname="postgres",
                             autocommit=True) as maintenance:
            maintenance.execute(f"ALTER DATABASE {database} ALLOW_CONNECTIONS {'true' if allowed else 'false'}")
    try:
        assert wait_for(lambda: cut() > 0), "the worker never connected"
        # a database restarting: the worker's connections are cut and no new one is accepted for 3 s (this test's
        # own connection stays open), so the worker's next query fails, whenever it comes
        allow_connections(False)
        cut()
        time.sleep(3)
        assert process.poll() is None  # still running
        allow_connections(True)
        row = queue_message("Apres la coupure")
        finished = wait_for(lambda: DBTaskResult.objects.get(pk=row.pk).status == TaskResultStatus.SUCCESSFUL)
        alive = process.poll() is None
    finally:
        allow_connections(True)
        log = stop(process)
    assert finished and alive, log
    assert "Database unreachable" in log and "Database back" in log  # the worker waited and went on
    assert "Subject: Apres la coupure" in sent_subjects(tmp_path)


def test_a_task_lost_too_many_times_is_failed_and_its_give_up_hook_called(settings, monkeypatch):
    settings.TASK_MAX_ATTEMPTS = 2
    calls = []
    monkeypatch.setitem(worker.GIVE_UP_HOOKS, message_deliver.module_path, lambda **kwargs: calls.append(kwargs))
    lost_once, lost_twice = queue_message("une fois"), queue_message("deux fois")
    expired = timezone.now() - timedelta(seconds=1)
    DBTaskResult.objects.filter(pk=lost_once.pk).update(status=TaskResultStatus.RUNNING, worker_ids=["w1"],
                                                        started_at=expired, run_after=expired)
    DBTaskResult.objects.filter(pk=lost_twice.pk).update(status=TaskResultStatus.RUNNING, worker_ids=["w1", "w2"],
                                                         started_at=expired, run_after=expired)
    assert worker.tasks_reclaim() == 2
    lost_once.refresh_from_db()
    lost_twice.refresh_from_db()
    assert lost_once.status == TaskResultStatus.READY and lost_once.run_after > timezone.now()  # after a delay
    assert (lost_twice.status, lost_twice.exception_class_path) == (TaskResultStatus.FAILED, worker.WORKER_LOST)
    assert [c["message"]["subject"] for c in calls] == ["deux fois"]
    out = __import__("io").StringIO()
    call_command("tasks_report", stdout=out)
    assert '"deux fois"' not in out.getvalue() and f'"{lost_twice.pk}"' in out.getvalue()
    assert f'"{lost_once.pk}"' not in out.getvalue()


def test_a_message_sent_in_a_request_is_only_queued_for_the_email_worker(settings):
    settings.EMAIL_BACKEND = "butgmp.mail.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.EmailMultiAlternatives("Avis", "Texte", "a@example.fr", ["b@example.fr"],
                                alternatives=[("<p>Texte</p>", "text/html")]).send()
    row = DBTaskResult.objects.get()
    assert (row.queue_name, row.status, len(mail.outbox)) == ("email", TaskResultStatus.READY, 0)
    call_command("run_worker", queue_name="email", batch=True, no_startup_delay=True, reload=False, verbosity=0)
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert [(m.subject, m.to, m.alternatives[0][0]) for m in mail.outbox] == [("Avis", ["b@example.fr"],
                                                                              "<p>Texte</p>")]
