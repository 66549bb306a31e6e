"""The department's Apogée settings, edited by Direction: the code translation table and the semester elements."""
from collections.abc import Mapping

from django.db import transaction

from grading.engine.codes import DecisionCode
from grading.models import ApogeeExportSettings, ApogeeTranslation, AuditEntry
from grading.services.audit_entries import audit_row, batch_key, journal
from grading.services.errors import ServiceError

UNKNOWN_CODE = "Code « {code} » inconnu de l'application."
BAD_APOGEE_CODE = "Code Apogée « {value} » pour {code} : lettres et chiffres, 8 au plus."


def apogee_translations() -> dict[str, str]:
    """Return every decision code with its Apogée code (a code not listed is written as it is)."""
    stored = dict(ApogeeTranslation.objects.values_list("code", "apogee_code"))
    return {code.value: stored.get(code.value, code.value) for code in DecisionCode}


def apogee_settings_save(*, translations: Mapping[str, str], semester_element: str, semester_code: str,
                         user) -> int:
    """Write the table and the semester choices in one transaction, one journal row per change; return the count."""
    with transaction.atomic():
        current = apogee_translations()
        batch = batch_key("apogee")
        entries = []
        for code, value in translations.items():
            if code not in current:
                raise ServiceError(UNKNOWN_CODE.format(code=code))
            value = value.strip().upper()
            if value and (len(value) > 8 or not value.isalnum()):
                raise ServiceError(BAD_APOGEE_CODE.format(value=value, code=code))
            if value == current[code]:
                continue
            row, _ = ApogeeTranslation.objects.update_or_create(code=code, defaults={"apogee_code": value})
            entries.append(audit_row(obj=row, action="update", user=user, source=AuditEntry.Source.APP, batch=batch,
                                     field="code Apogée", old=current[code], new=value))
        settings, _ = ApogeeExportSettings.objects.get_or_create(pk=1)
        for name, value in (("semester_element", semester_element), ("semester_code", semester_code)):
            if getattr(settings, name) != value:
                entries.append(audit_row(obj=settings, action="update", user=user, source=AuditEntry.Source.APP,
                                         batch=batch, field=settings._meta.get_field(name).verbose_name,
                                         old=getattr(settings, name), new=value))
                setattr(settings, name, value)
        settings.full_clean()
        settings.save()
        journal(entries)
    return len(entries)
