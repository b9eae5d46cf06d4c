"""Files for the originals and hostile-files tests, made by the tests themselves: real
multi-page scans as they come from an office scanner, and the hostile files an intake must
survive. No Odoo imports: tests/test_trust_crm_scan.py (outside-in) uses it too."""

import io
import struct
import zipfile
import zlib

from PIL import Image, ImageDraw, ImageFont
from PyPDF2 import PdfWriter

try:
    from . import pages
except ImportError:  # imported as a plain module (tests/, bench/)
    import pages

A4_300 = (2480, 3508)  # A4 at 300 dpi


def _page(lines, size=A4_300, dpi=300, font_size=None):
    scale = dpi / 150
    return pages.render_page(
        lines,
        width=size[0],
        height=size[1],
        size=font_size or round(23 * scale),
        top=round(90 * scale),
    )


def three_page_lines(partner, number):
    """The lines of a three-page letter: the sender on page 1, the customer number only on
    page 2, the end on page 3."""
    return [
        [f"**{partner['name']}", f"{partner['street']}, {partner['zip']} {partner['city']}",
         "", "Bestellung Nr. 4711", "Seite 1 von 3"],
        ["Positionen", f"Kundennummer: {number}", "Seite 2 von 3"],
        ["Mit freundlichen Grüßen", partner["name"], "Seite 3 von 3"],
    ]  # fmt: skip


def multipage_tiff(partner, number):
    """A three-page A4 TIFF at 300 dpi (LZW, grey), as a document scanner writes it."""
    images = [_page(lines) for lines in three_page_lines(partner, number)]
    out = io.BytesIO()
    images[0].save(
        out,
        "TIFF",
        dpi=(300, 300),
        compression="tiff_lzw",
        save_all=True,
        append_images=images[1:],
    )
    return out.getvalue()


def damaged_tiff(partner, number):
    """The three-page TIFF with the image data of page 2 garbled (a bad sector, a broken
    transfer): pages 1 and 3 can be read, page 2 cannot."""
    data = bytearray(multipage_tiff(partner, number))
    with Image.open(io.BytesIO(bytes(data))) as image:
        image.seek(1)
        strips = zip(image.tag_v2[273], image.tag_v2[279], strict=True)  # offsets, counts
        for offset, count in strips:
            data[offset : offset + count] = bytes(
                (b * 7 + 3) % 256 for b in data[offset : offset + count]
            )
    return bytes(data)


def large_png(partner, number):
    """A one-page A4 PNG at 300 dpi (2480 x 3508 pixels: more than Odoo's 1920 px)."""
    return pages.to_png(_page(pages.letter(partner, number)), dpi=300)


def scanned_pdf(partner, number):
    """A two-page scanned PDF (images only, no text layer), 200 dpi."""
    first, second = three_page_lines(partner, number)[:2]
    images = [_page(lines, size=(1654, 2339), dpi=200) for lines in (first, second)]
    return pages.to_pdf(images, dpi=200)


def text_pdf(partner, number):
    """A born-digital PDF with a text layer (as an e-mailed invoice), made with
    reportlab."""
    from reportlab.lib.pagesizes import A4  # noqa: PLC0415
    from reportlab.pdfbase import pdfmetrics  # noqa: PLC0415
    from reportlab.pdfbase.ttfonts import TTFont  # noqa: PLC0415
    from reportlab.pdfgen import canvas  # noqa: PLC0415

    pdfmetrics.registerFont(TTFont("DejaVuSans", pages.FONT))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.setFont("DejaVuSans", 12)
    y = 800
    for line in pages.letter(partner, number):
        pdf.drawString(60, y, line.lstrip("*"))
        y -= 20
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def originals(partner, number):
    """{file name: bytes} of genuine scans whose originals must be kept byte for byte."""
    return {
        "three_pages.tif": multipage_tiff(partner, number),
        "a4_300dpi.png": large_png(partner, number),
        "scanned.pdf": scanned_pdf(partner, number),
        "with_text.pdf": text_pdf(partner, number),
    }


# ------------------------------------------------------------------ hostile files
def _png_chunk(kind, data):
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def decompression_bomb(width=20000, height=20000):
    """A valid 1-bit PNG of width x height white pixels: tens of kilobytes on disk, 400
    million pixels once decoded. Written row by row, so making it takes no memory."""
    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    parts = [compressor.compress(row) for _ in range(height)]
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1 bit grey
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", b"".join(parts))
        + _png_chunk(b"IEND", b"")
    )


def truncated_pdf():
    """A scanned PDF cut off after a third of its bytes (an interrupted transfer)."""
    data = pages.to_pdf([_page(["Abgeschnitten"], size=(1240, 1754), dpi=150)], dpi=150)
    return data[: len(data) // 3]


def encrypted_pdf():
    """A PDF that opens only with a password."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("geheim")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def big_image(megabytes=30):
    """An uncompressed grey TIFF of about ``megabytes`` MB (an A4 page at about 620 dpi,
    as some scanners write it) with a few lines of text."""
    height = round((megabytes * 1024 * 1024 / 0.7) ** 0.5)
    width = round(height * 0.7)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(pages.FONT, 90)
    for index, line in enumerate(["Großes Bild", "Hochauflösender Scan ohne Absender"]):
        draw.text((300, 300 + index * 140), line, fill=0, font=font)
    out = io.BytesIO()
    image.save(out, "TIFF", dpi=(620, 620))
    return out.getvalue()


def text_named_pdf():
    return "Dies ist keine PDF-Datei, nur Text. Grüße\n".encode() * 20


def zip_named_pdf():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("rechnung.pdf", b"%PDF-1.4 inside a zip")
    return out.getvalue()


def hostile():
    """{file name: bytes} of the files an intake must turn into a failed document with a
    reason (never a crash, never a lost file)."""
    return {
        "bomb.png": decompression_bomb(),
        "truncated.pdf": truncated_pdf(),
        "encrypted.pdf": encrypted_pdf(),
        "empty.pdf": b"",
        "big.tif": big_image(),
        "text.pdf": text_named_pdf(),
        "archive.pdf": zip_named_pdf(),
    }
