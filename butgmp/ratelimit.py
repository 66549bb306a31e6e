"""A per-user rate limit on what is made on demand (PDFs, workbooks): a few documents a minute per person, so that
four people asking for a 74-page PDF at once cannot starve the grade entry of everybody else."""
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

TOO_MANY_DOCUMENTS = ("Trop de documents demandés en une minute ({limit} au plus) : réessayez dans un instant. "
                      "Un document déjà téléchargé reste dans vos téléchargements.")
WINDOW = 60


def documents_rate_limited(view):
    """Answer 429 to a user's request past DOCUMENTS_PER_MINUTE made documents in the current minute."""

    @wraps(view)
    def limited(request, *args, **kwargs):
        if request.user.is_authenticated and not document_allowed(user_id=request.user.pk):
            response = HttpResponse(TOO_MANY_DOCUMENTS.format(limit=settings.DOCUMENTS_PER_MINUTE), status=429,
                                    content_type="text/plain; charset=utf-8")
            response["Retry-After"] = str(WINDOW)
            return response
        return view(request, *args, **kwargs)
    return limited


def document_allowed(*, user_id: int) -> bool:
    """Count one document for the user in the current minute; False past the limit (a shared cache counts across
    servers; each process's own memory counts per process)."""
    key = f"documents:{user_id}"
    if cache.add(key, 1, timeout=WINDOW):
        return True
    try:
        return cache.incr(key) <= settings.DOCUMENTS_PER_MINUTE
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=WINDOW)
        return True
