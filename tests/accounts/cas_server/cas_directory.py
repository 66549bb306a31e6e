"""The test CAS server's authentication class: the people of cas_people.py."""
from cas_people import PASSWORD, PEOPLE
from cas_server.auth import AuthUser


class DirectoryUser(AuthUser):
    """Authenticate against PEOPLE, every person with PASSWORD."""

    def test_password(self, password):
        return self.username in PEOPLE and password == PASSWORD

    def attributs(self):
        return dict(PEOPLE.get(self.username, {}))
