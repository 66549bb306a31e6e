"""Purges run by the worker (settings.PURGES, every PURGE_INTERVAL_SECONDS): what is kept only for a while.

Durations are settings (README, « Données personnelles »). Each returns the number of rows removed.
"""
from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


def _before(days: int):
    return timezone.now() - timedelta(days=days)


def sessions_purge() -> int:
    """Remove expired sessions."""
    return Session.objects.filter(expire_date__lt=timezone.now()).delete()[0]


def login_attempts_purge() -> int:
    """Remove login attempts and logs (login, address, browser) older than LOGIN_ATTEMPTS_DAYS."""
    before = _before(settings.LOGIN_ATTEMPTS_DAYS)
    return (AccessAttempt.objects.filter(attempt_time__lt=before).delete()[0]
            + AccessFailureLog.objects.filter(attempt_time__lt=before).delete()[0]
            + AccessLog.objects.filter(attempt_time__lt=before).delete()[0])


def finished_tasks_purge() -> int:
    """Remove finished background tasks (their arguments name students) older than FINISHED_TASKS_DAYS."""
    return DBTaskResult.objects.finished().filter(finished_at__lt=_before(settings.FINISHED_TASKS_DAYS)).delete()[0]
