"""Helpers of the accounts tests (a module of its own name: every test folder has a `conftest`)."""
import re

import requests
from cas_people import PASSWORD as CAS_PASSWORD
from django.contrib.auth import get_user_model

HIDDEN_INPUT_RE = re.compile(r'<input type="hidden" name="(\w+)"(?: value="([^"]*)")?')

PASSWORD = "pw"  # tests/conftest.py's make_user


def signed_in(client):
    """Return the user the Django test client is signed in as, or None."""
    user_id = client.session.get("_auth_user_id")
    return get_user_model().objects.filter(pk=user_id).first() if user_id else None


def cas_form_post(session: requests.Session, page: requests.Response, *, login: str, password: str = CAS_PASSWORD):
    """Fill in the CAS server's login form shown in `page` and submit it; follow the redirects back."""
    assert "/cas/login" in page.url, f"expected the CAS login page, got {page.url}"
    fields = {name: value or "" for name, value in HIDDEN_INPUT_RE.findall(page.text)}
    fields.update(username=login, password=password)
    return session.post(page.url.split("?")[0], data=fields, timeout=10)
