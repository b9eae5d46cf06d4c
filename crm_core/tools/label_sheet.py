"""Label sheet geometry and rendering with reportlab (no ORM here).

All lengths are millimetres; the origin of a position is the top-left corner of the sheet
(the way label manufacturers publish their templates). `render_labels` converts to PDF points
(origin bottom-left) itself.
"""

import io
import os
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from . import sanitize

A4 = (210.0, 297.0)


@dataclass(frozen=True)
class LabelSheet:
    """Geometry of one label sheet, as label manufacturers publish it."""

    name: str
    page_width: float
    page_height: float
    columns: int
    rows: int
    label_width: float
    label_height: float
    margin_top: float
    margin_left: float
    pitch_x: float  # distance from the left edge of one label to the left edge of the next
    pitch_y: float  # distance from the top edge of one label to the top edge of the next
    padding: float = 4.0  # inner margin of the printed text

    @property
    def per_sheet(self):
        return self.columns * self.rows

    def check(self):
        """Return a list of problems (empty when the geometry fits on the page)."""
        problems = []
        values = {
            "page width": self.page_width,
            "page height": self.page_height,
            "label width": self.label_width,
            "label height": self.label_height,
            "horizontal pitch": self.pitch_x,
            "vertical pitch": self.pitch_y,
        }
        for label, value in values.items():
            if value <= 0:
                problems.append(f"{label} must be greater than 0 mm")
        if self.columns < 1 or self.rows < 1:
            problems.append("a sheet needs at least one column and one row")
        if self.margin_top < 0 or self.margin_left < 0 or self.padding < 0:
            problems.append("margins cannot be negative")
        if problems:
            return problems
        if self.pitch_x < self.label_width - 1e-6 and self.columns > 1:
            problems.append("the horizontal pitch is smaller than the label width")
        if self.pitch_y < self.label_height - 1e-6 and self.rows > 1:
            problems.append("the vertical pitch is smaller than the label height")
        right = self.margin_left + (self.columns - 1) * self.pitch_x + self.label_width
        bottom = self.margin_top + (self.rows - 1) * self.pitch_y + self.label_height
        if right > self.page_width + 0.05:
            problems.append(
                f"the labels end {right:.2f} mm from the left edge, beyond the page width "
                f"of {self.page_width:.2f} mm"
            )
        if bottom > self.page_height + 0.05:
            problems.append(
                f"the labels end {bottom:.2f} mm from the top edge, beyond the page height "
                f"of {self.page_height:.2f} mm"
            )
        return problems

    def position(self, index):
        """(page, x, y) of label `index` (0-based, row by row): x, y = top-left corner in mm
        from the top-left corner of the sheet."""
        page, slot = divmod(index, self.per_sheet)
        row, column = divmod(slot, self.columns)
        return page, self.margin_left + column * self.pitch_x, self.margin_top + row * self.pitch_y


def _sheet(name, columns, rows, width, height, top, left, pitch_x=None, pitch_y=None, pad=4.0):
    return LabelSheet(
        name=name,
        page_width=A4[0],
        page_height=A4[1],
        columns=columns,
        rows=rows,
        label_width=width,
        label_height=height,
        margin_top=top,
        margin_left=left,
        pitch_x=pitch_x or width,
        pitch_y=pitch_y or height,
        padding=pad,
    )


# Manufacturers' published dimensions (mm), all A4 (210 x 297).
PRESETS = {
    # Avery Zweckform L7160: 21 labels 63.5 x 38.1, 3 x 7, gap 2.54 between columns
    "avery_l7160": _sheet(
        "Avery Zweckform L7160 (63.5 x 38.1 mm, 21)", 3, 7, 63.5, 38.1, 15.15, 7.21, 66.04, 38.1
    ),
    # Avery Zweckform L7163: 14 labels 99.1 x 38.1, 2 x 7, gap 2.5 between columns
    "avery_l7163": _sheet(
        "Avery Zweckform L7163 (99.1 x 38.1 mm, 14)", 2, 7, 99.1, 38.1, 15.15, 4.65, 101.6, 38.1
    ),
    # Avery Zweckform 3474: 24 labels 70 x 37, 3 x 8, no side margin, 0.5 mm top and bottom
    "avery_3474": _sheet("Avery Zweckform 3474 (70 x 37 mm, 24)", 3, 8, 70.0, 37.0, 0.5, 0.0),
    # Avery Zweckform 3490: 24 labels 70 x 36, 3 x 8, no side margin, 4.5 mm top and bottom
    "avery_3490": _sheet("Avery Zweckform 3490 (70 x 36 mm, 24)", 3, 8, 70.0, 36.0, 4.5, 0.0),
    # Herma 4360: 24 labels 70 x 36, 3 x 8, no side margin, 4.5 mm top and bottom
    "herma_4360": _sheet("Herma 4360 (70 x 36 mm, 24)", 3, 8, 70.0, 36.0, 4.5, 0.0),
    # Herma 5051: 44 labels 48.3 x 25.4, 4 x 11, sheet centred: 8.4 mm sides, 8.8 mm top
    "herma_5051": _sheet("Herma 5051 (48.3 x 25.4 mm, 44)", 4, 11, 48.3, 25.4, 8.8, 8.4, pad=2.5),
}

FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/local/share/fonts/dejavu",
)
FONT_NAME = "CrmDejaVuSans"
FONT_NAME_BOLD = "CrmDejaVuSans-Bold"


class LabelFontError(RuntimeError):
    """The TrueType font needed for labels is missing."""


def find_fonts(font_dirs=FONT_DIRS):
    """Paths of DejaVu Sans regular and bold; raise LabelFontError when missing (Debian
    package fonts-dejavu-core)."""
    for folder in font_dirs:
        regular = os.path.join(folder, "DejaVuSans.ttf")
        bold = os.path.join(folder, "DejaVuSans-Bold.ttf")
        if os.path.isfile(regular):
            return regular, bold if os.path.isfile(bold) else regular
    raise LabelFontError(
        "the font DejaVuSans.ttf was not found in {}; install the package fonts-dejavu-core".format(
            ", ".join(font_dirs)
        )
    )


def register_fonts(font_dirs=FONT_DIRS):
    """Register DejaVu Sans (regular and bold) with reportlab; return the font names."""
    regular, bold = find_fonts(font_dirs)
    registered = pdfmetrics.getRegisteredFontNames()
    if FONT_NAME not in registered:
        pdfmetrics.registerFont(TTFont(FONT_NAME, regular))
    if FONT_NAME_BOLD not in registered:
        pdfmetrics.registerFont(TTFont(FONT_NAME_BOLD, bold))
    return FONT_NAME, FONT_NAME_BOLD


def fit_lines(lines, width_pt, fonts, size, min_size=5.0):
    """Shrink the font size until the widest line fits width_pt; then cut what still does
    not fit (with an ellipsis). `fonts` gives each line's font (a name: the same for all).
    Returns (size, lines)."""
    if isinstance(fonts, str):
        fonts = [fonts] * len(lines)
    widths = [
        pdfmetrics.stringWidth(line, font, size) for line, font in zip(lines, fonts, strict=True)
    ]
    widest = max(widths, default=0)
    if widest > width_pt:
        size = max(min_size, size * width_pt / widest)
    fitted = []
    for line, font in zip(lines, fonts, strict=True):
        if pdfmetrics.stringWidth(line, font, size) <= width_pt:
            fitted.append(line)
            continue
        while line and pdfmetrics.stringWidth(line + "…", font, size) > width_pt:
            line = line[:-1]
        fitted.append(line + "…")
    return size, fitted


def render_labels(sheet, blocks, start=1, sender=None, font_size=10.0, font_dirs=FONT_DIRS):
    """Render address blocks on label sheets; return the PDF as bytes.

    :param sheet: a LabelSheet
    :param blocks: list of address blocks, each a list of text lines (first line in bold)
    :param start: 1-based position of the first free label on the first sheet
    :param sender: optional sender line printed small above each address

    Every line passes sanitize.text (no control characters, no lone surrogates, one line),
    so any name prints.
    """
    problems = sheet.check()
    if problems:
        raise ValueError("; ".join(problems))
    if not 1 <= start <= sheet.per_sheet:
        raise ValueError(f"the start position must be between 1 and {sheet.per_sheet}")
    regular, bold = register_fonts(font_dirs)
    buffer = io.BytesIO()
    page_w, page_h = sheet.page_width * mm, sheet.page_height * mm
    pdf = canvas.Canvas(buffer, pagesize=(page_w, page_h), pageCompression=1)
    pdf.setTitle("Address labels")
    pad = sheet.padding * mm
    text_width = sheet.label_width * mm - 2 * pad
    sender_size = min(6.5, font_size * 0.65)
    sender_line = None
    sender = sanitize.text(sender)
    if sender:
        _size, (sender_line,) = fit_lines([sender], text_width, regular, sender_size, 4.0)
    current_page = 0
    for number, lines in enumerate(blocks, start=start - 1):
        page, x, y = sheet.position(number)
        while page > current_page:
            pdf.showPage()
            current_page += 1
        left = x * mm + pad
        top = page_h - y * mm - pad
        available = sheet.label_height * mm - 2 * pad
        if sender_line:
            top -= sender_size
            pdf.setFont(regular, sender_size)
            pdf.drawString(left, top, sender_line)
            top -= sender_size * 0.6
            available -= sender_size * 1.6
        lines = [line for line in (sanitize.text(line) for line in lines) if line]
        if not lines:  # nothing printable: the label stays empty
            continue
        fonts = [bold] + [regular] * (len(lines) - 1)
        size, lines = fit_lines(lines, text_width, fonts, font_size)
        leading = size * 1.18
        if len(lines) * leading > available and lines:
            size = max(4.0, available / len(lines) / 1.18)
            leading = size * 1.18
            size, lines = fit_lines(lines, text_width, fonts, size, 4.0)
        baseline = top - size
        for index, line in enumerate(lines):
            pdf.setFont(bold if index == 0 else regular, size)
            pdf.drawString(left, baseline, line)
            baseline -= leading
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
