"""Reads of the institution's identity: the one row (or an unsaved row of defaults when Direction has not yet
filled it), and its images as data URIs for the PDFs (WeasyPrint reads them without any file or URL fetch)."""
import base64

from grading.models import InstitutionIdentity

IDENTITY_PK = 1


def institution_identity() -> InstitutionIdentity:
    """Return the institution's identity; an unsaved row of defaults (French appeal text) if none is saved."""
    identity = InstitutionIdentity.objects.filter(pk=IDENTITY_PK).first()
    return identity if identity is not None else InstitutionIdentity(pk=IDENTITY_PK)


def _data_uri(data, content_type: str) -> str:
    if not data:
        return ""
    return f"data:{content_type or 'image/png'};base64,{base64.b64encode(bytes(data)).decode('ascii')}"


def logo_data_uri(identity: InstitutionIdentity | None = None) -> str:
    """Return the logo as a `data:` URI for an <img> in a PDF template, or "" when there is none."""
    identity = identity if identity is not None else institution_identity()
    return _data_uri(identity.logo, identity.logo_content_type)


def signature_data_uri(identity: InstitutionIdentity | None = None) -> str:
    """Return the scanned signature as a `data:` URI, or "" when Direction uploaded none."""
    identity = identity if identity is not None else institution_identity()
    return _data_uri(identity.signature, identity.signature_content_type)


def letterhead_context(identity: InstitutionIdentity | None = None) -> dict:
    """Return what `templates/grading/pdf/_letterhead.html` reads: `identity`, `logo_uri`, `signature_uri`."""
    identity = identity if identity is not None else institution_identity()
    return {"identity": identity, "logo_uri": logo_data_uri(identity), "signature_uri": signature_data_uri(identity)}
