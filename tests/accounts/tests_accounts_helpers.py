"""Helpers of the accounts tests."""
from django.contrib.auth import get_user_model

PASSWORD = "pw"  # tests/conftest.py's make_user


def signed_in(client):
    """Return the user the Django test client is signed in as, or None."""
    user_id = client.session.get("_auth_user_id")
    return get_user_model().objects.filter(pk=user_id).first() if user_id else None
