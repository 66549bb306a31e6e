"""Limits at the edge: a body larger than the largest upload is refused before it is read."""
import io

from django.test import RequestFactory

from butgmp.limits import RequestSizeLimitMiddleware


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_a_body_declared_larger_than_the_largest_upload_is_refused_before_it_is_read(settings):
    settings.MAX_REQUEST_BYTES = 6 * 1024 * 1024
    request = RequestFactory().generic("POST", "/connexion/", content_type="multipart/form-data; boundary=x")
    request.META.update({"CONTENT_LENGTH": str(400 * 1024 * 1024), "wsgi.input": Unreadable()})
    response = RequestSizeLimitMiddleware(lambda r: r.POST and None)(request)
    assert response.status_code == 413
    assert response.content.decode() == "Requête trop volumineuse : 6,0 Mo au plus."


def test_a_body_within_the_limit_reaches_the_view(settings):
    settings.MAX_REQUEST_BYTES = 1000
    request = RequestFactory().post("/connexion/", data={"username": "x" * 500})
    response = RequestSizeLimitMiddleware(lambda r: len(r.POST["username"]))(request)
    assert response == 500


def test_the_login_page_answers_413_to_an_oversized_post_through_the_whole_stack(client):
    response = client.generic("POST", "/connexion/", data=b"", CONTENT_LENGTH=str(400 * 1024 * 1024),
                              content_type="multipart/form-data; boundary=x")
    assert response.status_code == 413


def test_a_malformed_content_length_is_a_bad_request():
    request = RequestFactory().generic("POST", "/connexion/", CONTENT_LENGTH="beaucoup")
    assert RequestSizeLimitMiddleware(lambda r: None)(request).status_code == 400
