"""Documents made on demand: a few per minute per person, the next one refused with a French message."""
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from butgmp.ratelimit import documents_rate_limited


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@documents_rate_limited
def made(request):
    return HttpResponse(b"%PDF")


def ask(user):
    request = RequestFactory().get("/lettres.pdf")
    request.user = user
    return made(request)


@pytest.mark.django_db
def test_the_seventh_document_in_a_minute_is_refused_to_that_user_only(settings, users):
    settings.DOCUMENTS_PER_MINUTE = 6
    assert [ask(users["jury"]).status_code for _ in range(7)] == [200] * 6 + [429]
    refused = ask(users["jury"])
    assert refused["Retry-After"] == "60" and "6 au plus" in refused.content.decode()
    assert ask(users["direction"]).status_code == 200  # counted per person
    assert ask(AnonymousUser()).status_code == 200  # the view's own login check answers the anonymous
