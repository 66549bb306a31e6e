"""Background work of the accounts app (django-tasks; `python manage.py db_worker` runs it).

The tokens of the links are made in the worker (`accounts.emails`), so that none is ever stored in the queue.
"""
from django_tasks import task

from accounts.emails import account_link_send, reset_link_send


@task()
def send_password_reset_link(user_id: int, base_url: str) -> bool:
    """Send a « mot de passe oublié » link."""
    return reset_link_send(user_id=user_id, base_url=base_url)


@task()
def send_account_link(user_id: int, base_url: str) -> bool:
    """Send a new staff account its login and set-password link."""
    return account_link_send(user_id=user_id, base_url=base_url)
