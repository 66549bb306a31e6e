"""Print the staff accounts (or one, `--user LOGIN`) as JSON: roles, how they sign in, last login."""
import json

from django.core.management.base import BaseCommand, CommandError

from accounts.selectors import staff_accounts
from butgmp.times import PARIS

UNKNOWN_USER = "Aucun compte du personnel n'a l'identifiant « {login} »."


class Command(BaseCommand):
    help = "Liste les comptes du personnel en JSON (rôles, connexion CAS ou locale, dernière connexion)."

    def add_arguments(self, parser):
        parser.add_argument("--user", metavar="LOGIN", help="un seul compte, par son identifiant")

    def handle(self, *args, user=None, **options):
        rows = staff_accounts()
        if user is not None:
            rows = [row for row in rows if row.user.username == user]
            if not rows:
                raise CommandError(UNKNOWN_USER.format(login=user))
        self.stdout.write(json.dumps([{
            "login": row.user.username,
            "name": row.user.get_full_name(),
            "email": row.user.email,
            "roles": row.roles,
            "active": row.user.is_active,
            "cas_id": row.cas_id or row.user.username,
            "local_login_allowed": row.local_login_allowed,
            "has_password": row.user.has_usable_password(),
            "last_login": row.user.last_login.astimezone(PARIS).isoformat() if row.user.last_login else None,
        } for row in rows], ensure_ascii=False, indent=2))
