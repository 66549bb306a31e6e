"""The institution's identity, edited by Direction on one page (or `manage.py institution_identity`): one
transaction, one journal row per changed field (`AuditEntry`). The logo and the signature are PNG images checked
by their content (Pillow) and bounded in size before they are read; they are kept in the database."""
import io

from django.core.exceptions import ValidationError
from django.db import transaction

from grading.access import may_set_department
from grading.models import AuditEntry, InstitutionIdentity
from grading.models.institution import IMAGE_MAX_BYTES
from grading.selectors.institution import IDENTITY_PK
from grading.services.audit_entries import audit_row, batch_key, journal
from grading.services.errors import ServiceError

DIRECTION_ONLY = "Seule la direction modifie l'identité de l'établissement."
IMAGE_TOO_BIG = "Le fichier « {field} » dépasse 1 Mo ({size} octets) : réduisez l'image."
IMAGE_NOT_PNG = "Le fichier « {field} » n'est pas une image PNG lisible."
IMAGE_TOO_LARGE_PIXELS = "L'image « {field} » est trop grande ({width} × {height} pixels, 4000 au plus par côté)."
EMAIL_INVALID = "L'adresse de courriel « {value} » n'est pas valide."
MAX_SIDE = 4000
TEXT_FIELDS = ("university", "iut", "department", "postal_address", "telephone", "email", "city", "president_name",
               "president_title", "head_name", "head_title", "appeal_text")
IMAGE_LABELS = {"logo": "logo", "signature": "signature numérisée"}


def png_read(upload, *, field: str) -> bytes:
    """Return the bytes of an uploaded PNG (a Django UploadedFile or a binary file), refused (ServiceError) when
    bigger than 1 MB (checked before reading), not a PNG by its content, or larger than 4000 pixels a side."""
    label = IMAGE_LABELS.get(field, field)
    size = getattr(upload, "size", None)
    if size is not None and size > IMAGE_MAX_BYTES:
        raise ServiceError(IMAGE_TOO_BIG.format(field=label, size=size))
    data = upload.read(IMAGE_MAX_BYTES + 1)
    if len(data) > IMAGE_MAX_BYTES:
        raise ServiceError(IMAGE_TOO_BIG.format(field=label, size=f"plus de {IMAGE_MAX_BYTES}"))
    from PIL import Image, UnidentifiedImageError  # Pillow, installed with WeasyPrint

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG":
                raise ServiceError(IMAGE_NOT_PNG.format(field=label))
            width, height = image.size
            if width > MAX_SIDE or height > MAX_SIDE:
                raise ServiceError(IMAGE_TOO_LARGE_PIXELS.format(field=label, width=width, height=height))
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ServiceError(IMAGE_NOT_PNG.format(field=label)) from exc
    return data


def identity_update(*, user, logo: bytes | None = None, signature: bytes | None = None, remove_logo: bool = False,
                    remove_signature: bool = False, source: str = AuditEntry.Source.APP,
                    **values) -> InstitutionIdentity:
    """Save the institution's identity (Direction only): the text fields given in `values`, a new logo or
    signature (PNG bytes already checked by `png_read`), or their removal; journal each changed field."""
    if not may_set_department(user):
        raise ServiceError(DIRECTION_ONLY)
    unknown = set(values) - set(TEXT_FIELDS)
    if unknown:
        raise TypeError(f"unknown identity fields: {sorted(unknown)}")
    with transaction.atomic():
        identity, _ = InstitutionIdentity.objects.select_for_update().get_or_create(pk=IDENTITY_PK)
        batch, rows = batch_key("identity"), []
        for field, value in values.items():
            value = (value or "").strip()
            old = getattr(identity, field)
            if value != old:
                setattr(identity, field, value)
                rows.append(audit_row(obj=identity, action="update", user=user, batch=batch, field=field,
                                      old=old, new=value, source=source))
        for field, data, remove in (("logo", logo, remove_logo), ("signature", signature, remove_signature)):
            old = bytes(getattr(identity, field) or b"")
            new = b"" if remove else data
            if new is None or new == old:
                continue
            setattr(identity, field, new or None)
            setattr(identity, f"{field}_content_type", "image/png" if new else "")
            rows.append(audit_row(obj=identity, action="update", user=user, batch=batch, field=field,
                                  old=f"{len(old)} octets" if old else "", new=f"{len(new)} octets" if new else "",
                                  source=source))
        if rows:
            try:
                identity.full_clean()
            except ValidationError as exc:  # the e-mail, a field too long
                raise ServiceError(" ".join(exc.messages)) from exc
            identity.save()
            journal(rows)
    return identity
