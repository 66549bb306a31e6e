"""E-mail never sent inside a request: the default backend queues each message on the `email` queue, which its
own worker (`run_worker --queue-name email`) delivers through EMAIL_DELIVERY_BACKEND, retried if the server fails.

Queued in the caller's transaction: a message of a rolled-back change is never sent.
"""
import base64

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django_tasks import task

MAX_MESSAGE_BYTES = 5 * 1024 * 1024


class QueuedEmailBackend(BaseEmailBackend):
    """Queue each message for the e-mail worker instead of talking to a mail server."""

    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            message_deliver.enqueue(message=message_to_dict(message))
        return len(email_messages)


@task(queue_name="email")
def message_deliver(message: dict) -> int:
    """Send one queued message through the real backend (SMTP, console…), with EMAIL_TIMEOUT."""
    return get_connection(settings.EMAIL_DELIVERY_BACKEND, fail_silently=False).send_messages(
        [message_from_dict(message)])


def message_to_dict(message: EmailMessage) -> dict:
    """Return the message as JSON-ready data (attachments in base64), refusing one past MAX_MESSAGE_BYTES."""
    attachments = []
    for filename, content, mimetype in message.attachments:
        data = content.encode() if isinstance(content, str) else bytes(content)
        attachments.append([filename, base64.b64encode(data).decode(), mimetype])
    data = {"subject": str(message.subject), "body": str(message.body), "from_email": message.from_email,
            "to": list(message.to), "cc": list(message.cc), "bcc": list(message.bcc),
            "reply_to": list(message.reply_to), "headers": dict(message.extra_headers),
            "alternatives": [[str(c), m] for c, m in getattr(message, "alternatives", [])],
            "attachments": attachments}
    if sum(len(a[1]) for a in attachments) + len(data["body"]) > MAX_MESSAGE_BYTES:
        raise ValueError(f"Message trop gros pour la file d'envoi (plus de {MAX_MESSAGE_BYTES} octets).")
    return data


def message_from_dict(data: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"], body=data["body"], from_email=data["from_email"], to=data["to"], cc=data["cc"],
        bcc=data["bcc"], reply_to=data["reply_to"], headers=data["headers"])
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    for filename, content, mimetype in data["attachments"]:
        message.attach(filename, base64.b64decode(content), mimetype)
    return message
