"""Scanned-looking test pages, drawn with Pillow in DejaVu Sans: no Odoo imports, so that
bench/scan_recognition.py can use it too."""

import io
import random

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def render_page(lines, width=1240, height=1754, size=30, noise=0.0, angle=0.0, blur=0.0,
                stamp=None, seed=0, top=90):  # fmt: skip
    """A grey-scale page with ``lines`` of text (a line starting with '**' is bold).

    Default size is A4 at 150 dpi. ``noise``: share of pixels turned to random grey;
    ``angle``: rotation in degrees (scanner skew); ``blur``: Gaussian radius;
    ``stamp``: a red-ish word stamped across the page."""
    rng = random.Random(seed)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, size)
    bold = ImageFont.truetype(FONT_BOLD, size)
    y = top
    for line in lines:
        if line.startswith("**"):
            draw.text((90, y), line[2:], fill=0, font=bold)
        else:
            draw.text((90, y), line, fill=0, font=font)
        y += int(size * 1.5)
    if stamp:
        stamp_font = ImageFont.truetype(FONT_BOLD, size * 2)
        layer = Image.new("L", (width, height), 0)
        ImageDraw.Draw(layer).text((width // 2, height // 3), stamp, fill=110, font=stamp_font)
        layer = layer.rotate(20, center=(width // 2, height // 3))
        image = Image.composite(Image.new("L", (width, height), 150), image, layer)
    if noise:
        pixels = image.load()
        for _ in range(int(width * height * noise)):
            pixels[rng.randrange(width), rng.randrange(height)] = rng.randrange(0, 256)
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    if angle:
        image = image.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    return image


def to_png(image, dpi=150):
    """PNG bytes; ``dpi=None`` writes no resolution (as some phone scanner apps do)."""
    out = io.BytesIO()
    image.save(out, "PNG", **({"dpi": (dpi, dpi)} if dpi else {}))
    return out.getvalue()


def to_pdf(images, dpi=150):
    """A scanned PDF (one image per page, no text layer)."""
    out = io.BytesIO()
    first, *rest = [i.convert("RGB") for i in images]
    first.save(out, "PDF", resolution=dpi, save_all=True, append_images=rest)
    return out.getvalue()


def to_tiff(images, dpi=150):
    out = io.BytesIO()
    first, *rest = images
    first.save(out, "TIFF", dpi=(dpi, dpi), save_all=True, append_images=rest)
    return out.getvalue()


def letter(partner, number=None, iban=None, subject="Rechnung", extra=(), lang="de"):
    """Lines of a letter from ``partner`` (dict: name, street, zip, city, email, phone)
    to us, with its debtor number and IBAN."""
    if lang == "cs":
        lines = [
            f"**{partner['name']}",
            f"{partner['street']}, {partner['zip']} {partner['city']}",
            f"Tel.: {partner.get('phone', '')}   E-mail: {partner.get('email', '')}",
            "",
            "CRM Suite s.r.o., Václavské náměstí 1, 110 00 Praha",
            "",
            f"**{subject}",
        ]
        if number:
            lines.append(f"Zákaznické číslo: {number}")
        if iban:
            lines.append(f"IBAN: {iban}")
        lines += list(extra) + ["", "S pozdravem", partner["name"]]
    else:
        lines = [
            f"**{partner['name']}",
            f"{partner['street']}, {partner['zip']} {partner['city']}",
            f"Tel. {partner.get('phone', '')}   E-Mail: {partner.get('email', '')}",
            "",
            "CRM Suite GmbH, Hauptstraße 1, 10115 Berlin",
            "",
            f"**{subject}",
        ]
        if number:
            lines.append(f"Kundennummer: {number}")
        if iban:
            lines.append(f"IBAN: {iban}")
        lines += list(extra) + ["", "Mit freundlichen Grüßen", partner["name"]]
    return lines
