"""The CAS round trip against a real CAS server (django-cas-server in its own process), driven with requests."""
import pytest
import requests
from cas_people import STUDENT_NIP
from django.contrib.auth.models import User
from tests_accounts_helpers import cas_form_post

from accounts.models import AccountProfile
from butgmp.roles import Role
from grading.models import AuditEntry, Student

pytestmark = [pytest.mark.django_db(transaction=True)]


def session_user(session: requests.Session, live_server):
    """Return the user the application's session cookie belongs to, or None."""
    from django.contrib.sessions.models import Session

    key = session.cookies.get("sessionid")
    if not key:
        return None
    user_id = Session.objects.get(session_key=key).get_decoded().get("_auth_user_id")
    return User.objects.filter(pk=user_id).first()


def test_a_page_needing_a_login_leads_to_the_cas_and_back_signed_in(cas_on, live_server, make_user):
    teacher = make_user(Role.TEACHER, "mdupont", first_name="Marie", last_name="Dupont")
    with requests.Session() as session:
        first = session.get(live_server.url + "/", timeout=10)
        assert first.url.startswith(cas_on + "login?service=")
        assert "%2Fconnexion%2Fcas%2F" in first.url  # the service is the application's CAS view
        back = cas_form_post(session, first, login="mdupont")
        assert back.status_code == 200
        assert back.url == live_server.url + "/"
        assert session_user(session, live_server) == teacher


def test_a_staff_user_matches_by_their_cas_id_when_it_differs_from_their_login(cas_sign_in, live_server, make_user):
    teacher = make_user(Role.TEACHER, "pmartin", first_name="Paul", last_name="Martin")
    AccountProfile.objects.create(user=teacher, cas_id="p.martin7")
    with requests.Session() as session:
        back = cas_sign_in(session, "/", login="p.martin7")
        assert back.status_code == 200
        assert session_user(session, live_server) == teacher


def test_a_cas_id_set_elsewhere_stops_matching_by_login(cas_sign_in, live_server, make_user):
    somebody = make_user(Role.TEACHER, "mdupont")
    AccountProfile.objects.create(user=somebody, cas_id="m.dupont.autre")
    with requests.Session() as session:
        back = cas_sign_in(session, "/", login="mdupont")
        assert back.status_code == 403
        assert session_user(session, live_server) is None


def test_a_student_is_matched_by_nip_and_gets_a_student_account_at_first_login(cas_sign_in, live_server, db):
    student = Student.objects.create(ine="0123456789A", nip=STUDENT_NIP, last_name="Bernard", first_name="Léa",
                                     email="lea.bernard@etu.example.fr")
    with requests.Session() as session:
        back = cas_sign_in(session, "/", login="lbernard")
        assert back.status_code == 200
        student.refresh_from_db()
        account = student.user
        assert account is not None
        assert session_user(session, live_server) == account
        assert account.username == "lbernard"
        assert set(account.groups.values_list("name", flat=True)) == {Role.STUDENT}
        assert not account.is_staff and not account.is_superuser and not account.has_usable_password()
        assert (account.first_name, account.last_name, account.email) == ("Léa", "Bernard",
                                                                           "lea.bernard@etu.example.fr")
        entry = AuditEntry.objects.get(object_type="grading.student", object_id=student.pk, field="user")
        assert (entry.user, entry.new_value) == (account, "lbernard")
    with requests.Session() as again:  # the second time, the same account: nothing new is created
        cas_sign_in(again, "/", login="lbernard")
        assert session_user(again, live_server) == account
    assert User.objects.filter(username="lbernard").count() == 1
    assert AuditEntry.objects.filter(object_type="grading.student", field="user").count() == 1


def test_a_student_whose_account_exists_is_matched_by_nip_whatever_its_login(cas_sign_in, live_server, make_user):
    account = make_user(Role.STUDENT, "0123456789A")
    Student.objects.create(ine="0123456789A", nip=STUDENT_NIP, last_name="Bernard", first_name="Léa", user=account)
    with requests.Session() as session:
        cas_sign_in(session, "/", login="lbernard")
        assert session_user(session, live_server) == account
    assert not User.objects.filter(username="lbernard").exists()


def test_cas_2_signs_staff_in_as_well(cas_sign_in, live_server, make_user, settings):
    settings.CAS_VERSION = "2"  # serviceValidate, without attributes
    teacher = make_user(Role.TEACHER, "mdupont")
    with requests.Session() as session:
        back = cas_sign_in(session, "/", login="mdupont")
        assert back.status_code == 200 and back.url == live_server.url + "/"
        assert session_user(session, live_server) == teacher


def test_the_student_number_is_read_from_the_configured_attribute(cas_sign_in, live_server, settings, db):
    Student.objects.create(ine="0123456789A", nip=STUDENT_NIP, last_name="Bernard", first_name="Léa")
    settings.BUTGMP_CAS_STUDENT_ATTRIBUTE = "employeeNumber"  # the CAS releases the NIP as supannEtuId only
    with requests.Session() as session:
        refused = cas_sign_in(session, "/", login="lbernard")
        assert refused.status_code == 403 and session_user(session, live_server) is None
    assert not User.objects.filter(username="lbernard").exists()
    settings.BUTGMP_CAS_STUDENT_ATTRIBUTE = "supannEtuId"
    with requests.Session() as session:
        cas_sign_in(session, "/", login="lbernard")
        assert session_user(session, live_server) == Student.objects.get(nip=STUDENT_NIP).user


def test_somebody_unknown_is_refused_with_a_french_page_naming_whom_to_ask(cas_sign_in, live_server, settings, db):
    settings.BUTGMP_ACCOUNTS_CONTACT = "le secrétariat GMP (gmp@iut.example.fr)"
    users_before = User.objects.count()
    with requests.Session() as session:
        back = cas_sign_in(session, "/", login="inconnu")
        assert back.status_code == 403
        assert "Connexion refusée" in back.text
        assert "identifiant <strong>inconnu</strong>" in back.text
        assert "le secrétariat GMP (gmp@iut.example.fr)" in back.text
        assert session_user(session, live_server) is None
    assert User.objects.count() == users_before


def test_a_student_of_the_university_not_enrolled_here_is_refused_and_nothing_is_created(cas_sign_in, live_server,
                                                                                         db):
    Student.objects.create(ine="0123456789A", nip=STUDENT_NIP, last_name="Bernard", first_name="Léa")
    with requests.Session() as session:
        back = cas_sign_in(session, "/", login="xautre")
        assert back.status_code == 403
        assert "numéro étudiant\n  <strong>21999999</strong>" in back.text
    assert not User.objects.filter(username="xautre").exists()


def test_a_disabled_account_is_refused(cas_sign_in, live_server, make_user):
    make_user(Role.TEACHER, "mdupont", is_active=False)
    with requests.Session() as session:
        back = cas_sign_in(session, "/", login="mdupont")
        assert back.status_code == 403
        assert "votre compte" in back.text and "désactivé" in back.text


def test_logout_ends_the_cas_session_too(cas_sign_in, cas_on, live_server, make_user):
    make_user(Role.TEACHER, "mdupont")
    with requests.Session() as session:
        cas_sign_in(session, "/", login="mdupont")
        # while the CAS session lasts, the CAS gives a ticket without asking again
        for cookie in [c for c in session.cookies if c.name == "sessionid"]:
            session.cookies.clear(cookie.domain, cookie.path, cookie.name)
        silent = session.get(live_server.url + "/", timeout=10)
        assert silent.url == live_server.url + "/"
        page = session.get(live_server.url + "/connexion/", timeout=10)
        token = session.cookies.get("csrftoken")
        out = session.post(live_server.url + "/deconnexion/", data={"csrfmiddlewaretoken": token},
                           headers={"Referer": page.url}, timeout=10)
        assert [r.url.split("?")[0] for r in out.history][-1] == cas_on + "logout"
        assert session_user(session, live_server) is None
        # the CAS session is over: the CAS asks for the password again
        again = session.get(live_server.url + "/", timeout=10)
        assert "/cas/login" in again.url and 'name="password"' in again.text
