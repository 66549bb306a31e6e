"""Password spraying: a few failures on each of many logins from one address lock the address, at a threshold
higher than the (login, address) one; other addresses are not affected."""
import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from butgmp.security import address_failures

SPRAYER, OTHER = "203.0.113.7", "198.51.100.20"


def log_in(client, username, password, address):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_spraying_four_guesses_at_many_logins_locks_the_address_at_its_own_threshold(settings, users):
    settings.AXES_FAILURE_LIMIT, settings.AXES_ADDRESS_FAILURE_LIMIT = 5, 30
    for n in range(7):  # 28 failures, 4 per login: neither limit reached
        for _ in range(4):
            assert log_in(Client(), f"2100000000{n}", "azerty", SPRAYER).status_code == 200
    assert log_in(Client(), "secretariat", "pw", SPRAYER).status_code == 302  # not locked yet
    assert log_in(Client(), "21000000099", "azerty", SPRAYER).status_code == 200
    assert log_in(Client(), "21000000099", "azerty", SPRAYER).status_code == 429  # the 30th failure locks
    assert address_failures_from(SPRAYER) == 30
    response = log_in(Client(), "secretariat", "pw", SPRAYER)  # the right password, an untouched login
    assert response.status_code == 429
    assert log_in(Client(), "secretariat", "pw", OTHER).status_code == 302  # another address is not locked
    assert User.objects.filter(username__startswith="2100000000").count() == 0


def address_failures_from(address: str) -> int:
    class Request:
        axes_ip_address = address
        META = {"REMOTE_ADDR": address}
    return address_failures(Request())
