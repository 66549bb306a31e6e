"""The institution's identity: Direction edits it on one page (journaled); the logo and the signature are PNG images
checked by their content and bounded in size; the command shows and changes it; other roles cannot."""
import html
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from PIL import Image

from grading.models import AuditEntry, InstitutionIdentity
from grading.models.institution import APPEAL_DEFAULT, IMAGE_MAX_BYTES
from grading.selectors.institution import institution_identity, logo_data_uri
from grading.services.errors import ServiceError
from grading.services.institution import identity_update, png_read

pytestmark = pytest.mark.django_db


def image_bytes(fmt: str = "PNG", size=(40, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 60, 120)).save(out, format=fmt)
    return out.getvalue()


FIELDS = {"university": "Université fictive", "iut": "IUT du Creusot-Dijon fictif", "department": "Département GMP",
          "postal_address": "12 rue de la Fonderie\n71200 Le Creusot", "telephone": "03 85 00 00 00",
          "email": "scolarite@iut.example", "city": "Le Creusot", "president_name": "M. Étienne Marchal",
          "president_title": "Directeur de l'IUT", "head_name": "Mme Hélène Vasseur",
          "head_title": "Cheffe du département", "appeal_text": APPEAL_DEFAULT}


def test_without_a_saved_identity_the_defaults_carry_the_french_appeal_rights():
    identity = institution_identity()
    assert identity.pk == 1 and not InstitutionIdentity.objects.exists()
    assert "recours gracieux auprès du président du jury" in identity.appeal
    assert "tribunal administratif" in identity.appeal and "deux mois" in identity.appeal
    assert logo_data_uri(identity) == ""


def test_direction_saves_the_identity_and_a_png_logo_on_its_page_each_field_journaled(client, users):
    client.force_login(users["direction"])
    assert client.get(reverse("jury:identity")).status_code == 200
    logo = image_bytes()
    response = client.post(reverse("jury:identity"), {**FIELDS, "logo_file": SimpleUploadedFile("logo.png", logo)})
    assert response.status_code == 302
    identity = InstitutionIdentity.objects.get()
    assert identity.iut == FIELDS["iut"] and identity.address_lines == ["12 rue de la Fonderie", "71200 Le Creusot"]
    assert bytes(identity.logo) == logo and identity.logo_content_type == "image/png"
    assert logo_data_uri(identity).startswith("data:image/png;base64,")
    journaled = set(AuditEntry.objects.filter(object_type="grading.institutionidentity")
                    .values_list("field", flat=True))
    assert {"iut", "city", "president_name", "logo"} <= journaled
    assert AuditEntry.objects.get(field="iut").user == users["direction"]
    # saving the same values again changes and journals nothing
    count = AuditEntry.objects.count()
    client.post(reverse("jury:identity"), FIELDS)
    assert AuditEntry.objects.count() == count and bytes(InstitutionIdentity.objects.get().logo) == logo


def test_a_jpeg_or_a_text_file_is_refused_as_logo_and_nothing_is_saved(client, users):
    client.force_login(users["direction"])
    for name, content in [("logo.jpg", image_bytes("JPEG")), ("logo.png", b"not an image at all")]:
        response = client.post(reverse("jury:identity"), {**FIELDS, "logo_file": SimpleUploadedFile(name, content)})
        assert response.status_code == 200
        assert "n'est pas une image PNG lisible" in html.unescape(response.content.decode())
    assert not InstitutionIdentity.objects.exists()


def test_an_image_over_one_megabyte_is_refused_before_it_is_read():
    big = SimpleUploadedFile("logo.png", image_bytes() + b"\0" * IMAGE_MAX_BYTES)
    with pytest.raises(ServiceError, match="dépasse 1 Mo"):
        png_read(big, field="logo")
    assert png_read(SimpleUploadedFile("s.png", image_bytes()), field="signature").startswith(b"\x89PNG")


def test_only_direction_edits_the_identity(client, users):
    for role in ("secretariat", "teacher", "jury"):
        client.force_login(users[role])
        assert client.get(reverse("jury:identity")).status_code == 403
        assert client.post(reverse("jury:identity"), FIELDS).status_code == 403
        with pytest.raises(ServiceError):
            identity_update(user=users[role], iut="IUT pirate")
    assert not InstitutionIdentity.objects.exists()


def test_the_command_shows_and_changes_the_identity_through_the_service(capsys, tmp_path, users):
    logo = tmp_path / "logo.png"
    logo.write_bytes(image_bytes())
    call_command("institution_identity", user=users["direction"].username, set=["iut=IUT de Test", "city=Dijon"],
                 logo=str(logo))
    out = json.loads(capsys.readouterr().out)
    assert out["iut"] == "IUT de Test" and out["city"] == "Dijon" and out["logo_bytes"] == logo.stat().st_size
    assert AuditEntry.objects.filter(field="iut", source=AuditEntry.Source.SCRIPT).exists()
    with pytest.raises(CommandError) as refused:
        call_command("institution_identity", set=["iut=Sans signataire"])
    assert refused.value.returncode == 2
    with pytest.raises(CommandError) as refused:
        call_command("institution_identity", user=users["teacher"].username, set=["iut=Autre"])
    assert refused.value.returncode == 1 and institution_identity().iut == "IUT de Test"


def test_the_jury_opening_form_is_prefilled_with_the_default_president(users):
    from jury.forms import SessionForm

    identity_update(user=users["direction"], president_name="M. Étienne Marchal")
    assert 'value="M. Étienne Marchal"' in str(SessionForm(instances=[])["president"])
