"""Student accounts: staff create them from the enrolment list; each student sets their own password.

No password is ever chosen by staff or e-mailed: the account is created without a usable password and the
student receives a one-time link (Django's password-reset token: it stops working once the password is set,
and after PASSWORD_RESET_TIMEOUT).
"""
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from butgmp.roles import Role
from grading.models import Student
from grading.services.audit_entries import audit_row, batch_key, journal

SUBJECT = "BUT GMP : votre compte pour consulter vos résultats"


@dataclass
class AccountsDone:
    created: list[Student] = field(default_factory=list)
    resent: list[Student] = field(default_factory=list)  # account not yet activated: a new link
    active: list[Student] = field(default_factory=list)  # already using their account: nothing sent
    no_email: list[Student] = field(default_factory=list)
    login_taken: list[Student] = field(default_factory=list)  # another user already has the INE as login

    @property
    def sent(self) -> int:
        return len(self.created) + len(self.resent)


def set_password_link(*, user: User, base_url: str) -> str:
    """Return the one-time link where a user sets their password."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return base_url + reverse("password_set", kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)})


def student_accounts_create(*, students, user, base_url: str, mail_connection=None) -> AccountsDone:
    """Create the missing accounts of these students (login: their INE) and send each a set-password link.

    A student whose account was never used gets a new link; one already using it, or without an e-mail address,
    gets nothing (reported). `mail_connection`: where the links go (settings' e-mail backend by default).
    """
    done = AccountsDone()
    with transaction.atomic():
        group = AuthGroup.objects.get_or_create(name=Role.STUDENT)[0]
        students = list(Student.objects.select_for_update(of=("self",)).filter(pk__in=[s.pk for s in students])
                        .select_related("user").order_by("last_name", "first_name", "ine"))
        taken = set(User.objects.filter(username__in=[s.ine for s in students]).values_list("username", flat=True))
        batch = batch_key("comptes")
        for student in students:
            if student.user is not None:
                account = student.user
                if not (student.email or account.email):
                    done.no_email.append(student)
                elif account.last_login is None and not account.has_usable_password():
                    done.resent.append(student)
                else:
                    done.active.append(student)
                continue
            if not student.email:
                done.no_email.append(student)
                continue
            if student.ine in taken:
                done.login_taken.append(student)
                continue
            account = User(username=student.ine, first_name=student.first_name, last_name=student.last_name,
                           email=student.email)
            account.set_unusable_password()
            account.full_clean(exclude=["password"])
            account.save()
            account.groups.add(group)
            student.user = account
            student.save(update_fields=["user"])
            journal([audit_row(obj=student, action="update", user=user, field="user", new=account.username,
                               batch=batch)])
            done.created.append(student)
    messages = [_link_message(student=s, base_url=base_url) for s in done.created + done.resent]
    if messages:
        (mail_connection or get_connection()).send_messages(messages)
    return done


def _link_message(*, student: Student, base_url: str) -> EmailMessage:
    account = student.user
    body = render_to_string("portal/email/account.txt", {
        "student": student, "login": account.username, "link": set_password_link(user=account, base_url=base_url),
        "days": settings.PASSWORD_RESET_TIMEOUT // 86400})
    return EmailMessage(subject=SUBJECT, body=body, from_email=settings.DEFAULT_FROM_EMAIL,
                        to=[student.email or account.email])
