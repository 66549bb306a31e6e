"""`python manage.py institution_identity [--user LOGIN --set champ=valeur … --logo F.png --signature F.png]`.

Shows the institution's identity as JSON; with changes, saves them through the same service as Direction's page
(`grading.services.institution`, journaled, Direction only). Refusals in French exit 1, malformed input exit 2.
"""
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from grading.models import AuditEntry
from grading.selectors.institution import institution_identity
from grading.services.errors import ServiceError
from grading.services.institution import TEXT_FIELDS, identity_update, png_read

NO_USER = "Aucun utilisateur n'a l'identifiant « {login} »."
USER_REQUIRED = "--user : indiquez l'identifiant d'un membre de la direction pour modifier l'identité."
BAD_SET = "--set « {value} » : écrivez champ=valeur, champ parmi {fields}."
NO_FILE = "Fichier introuvable : {path}."


class Command(BaseCommand):
    help = ("Affiche l'identité de l'établissement (JSON) ou la modifie (direction) : --set champ=valeur, "
            "--logo et --signature (PNG, 1 Mo au plus).")

    def add_arguments(self, parser):
        parser.add_argument("--user", metavar="LOGIN", help="membre de la direction qui signe la modification")
        parser.add_argument("--set", action="append", default=[], metavar="CHAMP=VALEUR",
                            help=f"champs : {', '.join(TEXT_FIELDS)}")
        parser.add_argument("--logo", metavar="FICHIER.png")
        parser.add_argument("--signature", metavar="FICHIER.png")

    def handle(self, *args, user=None, set=(), logo=None, signature=None, **options):  # noqa: A002
        values = {}
        for item in set:
            field, sep, value = item.partition("=")
            if not sep or field not in TEXT_FIELDS:
                raise CommandError(BAD_SET.format(value=item, fields=", ".join(TEXT_FIELDS)), returncode=2)
            values[field] = value.replace("\\n", "\n")
        if values or logo or signature:
            if not user:
                raise CommandError(USER_REQUIRED, returncode=2)
            signer = get_user_model().objects.filter(username=user).first()
            if signer is None:
                raise CommandError(NO_USER.format(login=user), returncode=1)
            try:
                images = {field: self.png(path, field) for field, path in (("logo", logo), ("signature", signature))
                          if path}
                identity_update(user=signer, source=AuditEntry.Source.SCRIPT, **images, **values)
            except ServiceError as exc:
                raise CommandError(exc.message, returncode=1) from exc
        identity = institution_identity()
        out = {field: getattr(identity, field) for field in TEXT_FIELDS}
        out["logo_bytes"] = len(identity.logo or b"")
        out["signature_bytes"] = len(identity.signature or b"")
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))

    @staticmethod
    def png(path: str, field: str) -> bytes:
        file = Path(path)
        if not file.is_file():
            raise CommandError(NO_FILE.format(path=path), returncode=2)
        with file.open("rb") as handle:
            return png_read(handle, field=field)
