"""Limits at the edge: a request whose declared body is larger than the largest upload allowed is refused before
any of it is read (a reverse proxy in front buffers and bounds bodies too: README, « Production »)."""
from django.conf import settings
from django.http import HttpResponse

TOO_LARGE = "Requête trop volumineuse : {limit} Mo au plus."


class RequestSizeLimitMiddleware:
    """Answer 413 to a Content-Length above MAX_REQUEST_BYTES, without touching the body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse("Content-Length illisible.", status=400, content_type="text/plain; charset=utf-8")
        if length > settings.MAX_REQUEST_BYTES:
            limit = f"{settings.MAX_REQUEST_BYTES / 1024 / 1024:.1f}".replace(".", ",")
            response = HttpResponse(TOO_LARGE.format(limit=limit), status=413,
                                    content_type="text/plain; charset=utf-8")
            response["Connection"] = "close"  # the unread body is not left to the next request
            return response
        return self.get_response(request)
