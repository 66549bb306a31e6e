"""Admin number inputs accept the decimal comma ("2,5") as well as the point, and show numbers with a comma.

Django's admin reads a DecimalField with the point only unless the form field is localised. Rather than repeat
`formfield_overrides` in every admin class of every app, the application sets it once, at start-up, for every
registered admin and for the inlines (built per request from Django's defaults).
"""
from django.contrib.admin import options
from django.db import models

LOCALIZED = {"localize": True}
NUMBER_FIELDS = (models.DecimalField, models.FloatField)


def accept_decimal_comma(site) -> None:
    """Localise the number inputs of every admin registered on `site` and of every inline."""
    for field in NUMBER_FIELDS:
        options.FORMFIELD_FOR_DBFIELD_DEFAULTS.setdefault(field, {}).update(LOCALIZED)
        for model_admin in site._registry.values():
            model_admin.formfield_overrides.setdefault(field, {}).update(LOCALIZED)
