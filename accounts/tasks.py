"""Background work of the accounts app (django-tasks; `python manage.py db_worker` runs it)."""
from django_tasks import task

from accounts.services.password_reset import reset_link_send


@task()
def send_password_reset_link(user_id: int, base_url: str) -> bool:
    """Send a « mot de passe oublié » link; the token is made here, so none is ever stored in the queue."""
    return reset_link_send(user_id=user_id, base_url=base_url)
