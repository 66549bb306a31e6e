"""Fixtures of the jury tests: a generated S3–S4 promotion, clients per role, an open jury."""
import datetime

import pytest

from demo.jury_promotion import make_promotion
from jury.decisions import proposals_accept
from jury.sessions import session_create


@pytest.fixture
def promotion(db):
    """Twelve students: one DEM, one with an ATT grade, one missing a grade (incomplete evaluation), one repeater."""
    return make_promotion(students=12, seed=3, left=1, att=1, missing=1, repeaters=1)


@pytest.fixture
def clean_promotion(db):
    """A promotion without blockers: every grade entered, nobody left."""
    return make_promotion(students=10, seed=5)


@pytest.fixture
def client_for(client):
    def log_in(user):
        client.force_login(user)
        return client

    return log_in


@pytest.fixture
def open_session(users):
    def make(promotion, *, president="Mme Présidente", members=None):
        return session_create(semester_instances=[promotion.s3, promotion.s4], date=datetime.date(2026, 6, 20),
                              president=president, members=[users["jury"]] if members is None else members,
                              user=users["jury"])

    return make


@pytest.fixture
def decided_session(open_session, users):
    """An open jury whose proposals are accepted: every student of a clean promotion is decided (it may close)."""
    def make(promotion, **kwargs):
        session = open_session(promotion, **kwargs)
        proposals_accept(session=session, user=users["jury"])
        return session

    return make
