"""A plausible fictitious IUT on the demo's documents: names, address, a drawn logo and signature (PNG made here
with Pillow), saved through the identity service like Direction's page does (journaled)."""
import io

from grading.models import AuditEntry
from grading.services.institution import identity_update

DEMO_IDENTITY = {
    "university": "Université de Bourgogne-Europe (fictive)",
    "iut": "IUT du Creusot-Dijon fictif",
    "department": "Département Génie mécanique et productique (GMP)",
    "postal_address": "12 rue de la Fonderie\nBP 17\n71200 Le Creusot",
    "telephone": "03 85 00 00 00",
    "email": "scolarite.gmp@iut-creusot-dijon.example",
    "city": "Le Creusot",
    "president_name": "M. Étienne Marchal",
    "president_title": "Directeur de l'IUT, président du jury",
    "head_name": "Mme Hélène Vasseur",
    "head_title": "Cheffe du département GMP",
}


def _png(draw_it, size: tuple[int, int]) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", size, (255, 255, 255, 0))
    draw_it(ImageDraw.Draw(image), size)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def demo_logo() -> bytes:
    """A small logo: a blue gear-like disc and the letters IUT."""
    def draw_it(draw, size):
        width, height = size
        draw.rounded_rectangle((4, 4, width - 4, height - 4), radius=18, fill=(22, 63, 122, 255))
        draw.ellipse((18, 18, height - 18, height - 18), outline=(255, 255, 255, 255), width=8)
        draw.ellipse((height // 2 - 10, height // 2 - 10, height // 2 + 10, height // 2 + 10),
                     fill=(255, 196, 0, 255))
        for n, x in enumerate(range(height + 10, width - 20, 52)):
            draw.rectangle((x, 30, x + 36, height - 30), fill=(255, 255, 255, 255) if n != 1 else (255, 196, 0, 255))
    return _png(draw_it, (300, 120))


def demo_signature() -> bytes:
    """A scanned-looking signature: a few strokes."""
    def draw_it(draw, size):
        points = [(10, 60), (40, 20), (60, 70), (90, 25), (110, 65), (150, 30), (190, 55), (230, 35), (280, 50)]
        draw.line(points, fill=(20, 30, 90, 255), width=4, joint="curve")
        draw.line([(30, 80), (260, 72)], fill=(20, 30, 90, 255), width=3)
    return _png(draw_it, (300, 100))


def set_demo_identity(*, user) -> None:
    identity_update(user=user, logo=demo_logo(), signature=demo_signature(), source=AuditEntry.Source.SCRIPT,
                    **DEMO_IDENTITY)
