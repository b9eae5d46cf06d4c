"""The layout of a scanned letter, from tesseract's own layout output: pure Python, no ORM.

Tesseract's TSV gives every word with its box and the block, paragraph and line it belongs
to (see ``ocr.ocr_pages``). From it this module rebuilds the lines of each page, cuts them
into cells where a wide gap separates columns (the address field and the information block
beside it, the columns of a footer), joins letter-spaced words ("M Ü L L E R" ->
"MÜLLER"), and puts each cell into the zone of a business letter (DIN 5008) it stands in:

- ``head``: the letterhead at the top and, beside the address field, the information
  block (contact person, phone, references, date);
- ``return``: the sender's return line above the address field;
- ``window``: the address field (the recipient);
- ``body``: the text, tables included;
- ``signature``: the lines after the closing ("Mit freundlichen Grüßen", "S pozdravem");
- ``foot``: the footer (address, bank, register, management).

Later pages have a head, a body and a foot. Geometry is read in proportions of the page,
with tolerance: scans are shifted, photos are distorted.
"""

import re
import statistics

HEAD, RETURN, WINDOW, BODY, SIGNATURE, FOOT = (
    "head",
    "return",
    "window",
    "body",
    "signature",
    "foot",
)
# zones that speak for the sender of an incoming letter
SENDER_ZONES = frozenset({HEAD, RETURN, SIGNATURE, FOOT})
CLOSINGS = re.compile(
    r"(mit\s+freundlichen\s+gr|freundliche\s+gr|beste\s+gr|viele\s+gr|hochachtungsvoll|"
    r"s\s+pozdravem|s\s+p[aá]tel|se\s+srde[cč]n|kind\s+regards|best\s+regards|sincerely)",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"\s*(?:[·•|]|\s-\s|\s–\s)\s*")
# a postcode and the town after it: 01099 Dresden, 110 00 Praha 1, A-1010 Wien
POSTCODE_AND_TOWN = re.compile(
    r"(?:^|\s)(?:[A-Z]{1,2}-)?(?:\d{5}|\d{3}\s\d{2}|\d{4})\s+[A-ZÄÖÜČŘŠŽÚÍÉÁ][^\W\d_]{2,}"
)


class Cell:
    """A piece of a line that stands on its own: the words of one column, with its box and
    the zone it stands in."""

    __slots__ = ("page", "x0", "y0", "x1", "y1", "text", "zone", "height")

    def __init__(self, page, words, height):
        self.page = page
        self.x0 = min(w[0] for w in words)
        self.y0 = min(w[1] for w in words)
        self.x1 = max(w[2] for w in words)
        self.y1 = max(w[3] for w in words)
        self.height = height
        self.text = " ".join(w[4] for w in words)
        self.zone = BODY

    def __repr__(self):
        return f"<Cell p{self.page} {self.zone} {self.text!r}>"


def _join_spaced(words):
    """Join runs of single letters set with extra spacing ("M Ü L L E R  B A U") into
    words; a gap clearly wider than the others of the run starts a new word."""
    out = []
    index = 0
    while index < len(words):
        run_end = index
        while run_end < len(words) and len(words[run_end][4]) == 1 and words[run_end][4].isalpha():
            run_end += 1
        if run_end - index >= 3:
            run = words[index:run_end]
            gaps = [b[0] - a[2] for a, b in zip(run, run[1:], strict=False)]
            limit = statistics.median(gaps) * 1.8 + 1
            current = [run[0]]
            for word, gap in zip(run[1:], gaps, strict=True):
                if gap > limit:
                    out.append(_merge(current))
                    current = []
                current.append(word)
            out.append(_merge(current))
            index = run_end
        else:
            out.append(words[index])
            index += 1
    return out


def _merge(words):
    return (
        words[0][0],
        min(w[1] for w in words),
        words[-1][2],
        max(w[3] for w in words),
        "".join(w[4] for w in words),
    )


def _cells(page, words):
    """The cells of a line: its words cut where a gap wider than about three letter
    heights separates them (columns read as one line)."""
    height = statistics.median(w[3] - w[1] for w in words)
    cells = []
    current = [words[0]]
    for previous, word in zip(words, words[1:], strict=False):
        if word[0] - previous[2] > max(3.0 * height, 1):
            cells.append(Cell(page, current, height))
            current = []
        current.append(word)
    cells.append(Cell(page, current, height))
    return cells


def segments(text):
    """The parts of a cell's text between separators ("·", "|", " - ")."""
    return [p for p in _SEPARATORS.split(text) if p.strip()] or [text]


def page_cells(page):
    """The cells of one page of tesseract's layout (``{"page", "size", "words"}``), top
    to bottom, left to right."""
    groups = {}
    for block, par, line, left, top, width, height, _conf, text in page.get("words") or []:
        box = (left, top, left + width, top + height, text)
        groups.setdefault((block, par, line), []).append(box)
    cells = []
    for words in groups.values():
        words.sort()
        cells += _cells(page.get("page", 1), _join_spaced(words))
    cells.sort(key=lambda c: (c.y0, c.x0))
    return cells


def _window(cells, frame):
    """The cells of the address field: a group of cells one under the other at the left
    of the upper part of the printed area, one of them with a postcode and a town; of
    several such groups (a letterhead with its address at the top left) the one with the
    most lines."""
    left, top, width, height = frame
    area = [
        cell
        for cell in cells
        if cell.x0 < left + 0.35 * width
        and cell.x1 < left + 0.62 * width
        and cell.y0 <= top + 0.40 * height
    ]
    groups = []
    for cell in area:
        if groups and cell.y0 - groups[-1][-1].y1 < 2.2 * max(cell.height, 1):
            groups[-1].append(cell)
        else:
            groups.append([cell])
    found = [
        group
        for group in groups
        if 2 <= len(group) <= 9
        and any(POSTCODE_AND_TOWN.search(cell.text) for cell in group)
        and all(len(cell.text) <= 80 for cell in group)
    ]
    return max(found, key=len, default=[])


def _frame(cells, size):
    """The printed area of a page (left, top, width, height): scans are shifted and a
    phone photo shows the desk around the sheet, so positions are read relative to what
    is printed, not to the image - but at least three quarters of the image, or a short
    note would be all "page"."""
    image_width, image_height = size or (0, 0)
    left = min(cell.x0 for cell in cells)
    top = min(cell.y0 for cell in cells)
    return (
        left,
        top,
        max(max(cell.x1 for cell in cells) - left, 0.75 * image_width, 1),
        max(max(cell.y1 for cell in cells) - top, 0.75 * image_height, 1),
    )


def _gap_before(cells, limit, max_rows):
    """The bottom of the cells at the top of a page that stand above a wide gap (2.5 line
    heights), end before ``limit`` and make at most ``max_rows`` rows (more is text, not
    a head); the top of the first cell when there are none."""
    ordered = sorted(cells, key=lambda c: c.y0)
    bottom = ordered[0].y0
    rows_seen = 0
    for cell, following in zip(ordered, ordered[1:], strict=False):
        if cell.y0 >= bottom:
            rows_seen += 1
        bottom = max(bottom, cell.y1)
        if bottom > limit or rows_seen > max_rows:
            break
        if following.y0 - bottom > 2.5 * max(cell.height, 1):
            return bottom
    return ordered[0].y0 - 1


def _gap_after(cells, limit, page_limit):
    """The top of the cells at the bottom of a page below a wide gap (2 line heights),
    starting after ``limit`` and after ``page_limit`` (a share of the image: a page whose
    text runs to its end has no foot); None when there are none."""
    ordered = sorted(cells, key=lambda c: c.y1, reverse=True)
    top = ordered[0].y1
    for cell, above in zip(ordered, ordered[1:], strict=False):
        top = min(top, cell.y0)
        if top < limit or top < page_limit:
            return None
        if top - above.y1 > 2.0 * max(cell.height, 1):
            return top
    return None


def classify(pages):
    """The cells of all pages with their zones: a list of ``Cell``, page by page, top to
    bottom."""
    result = []
    for page in pages:
        cells = page_cells(page)
        if not cells:
            continue
        left, top, width, height = frame = _frame(cells, page.get("size"))
        first_page = page.get("page", 1) == 1
        window = _window(cells, frame) if first_page else []
        if window:
            head_limit = min(cell.y0 for cell in window)
            # the information block beside the address field reaches down to the first
            # line of text that starts at the left under the address field (the subject)
            window_bottom = max(cell.y1 for cell in window)
            below = [c for c in cells if c.y0 > window_bottom and c.x0 < left + 0.35 * width]
            info_limit = min((c.y0 for c in below), default=window_bottom)
        else:
            # no address field: the head is what stands above the text, set apart by
            # some space (a letterhead, a masthead, the header of a later page)
            head_limit = _gap_before(
                cells, top + (0.18 if first_page else 0.08) * height, 6 if first_page else 2
            )
            info_limit = None
        # the foot: what stands at the bottom of the sheet, set apart from the text
        foot_limit = _gap_after(cells, top + 0.85 * height, 0.78 * (page.get("size") or (0, 0))[1])
        closing = None
        for cell in cells:
            slack = 0.3 * max(cell.height, 1)
            if cell in window:
                cell.zone = WINDOW
            elif foot_limit is not None and cell.y0 >= foot_limit:
                cell.zone = FOOT
            elif cell.y1 <= head_limit + slack:
                cell.zone = HEAD
            elif (
                info_limit is not None and cell.y1 <= info_limit and (cell.x0 > left + 0.45 * width)
            ):
                cell.zone = HEAD  # the information block beside the address field
            elif closing is not None and cell.y0 - closing.y1 < 9 * max(cell.height, 1):
                cell.zone = SIGNATURE
            else:
                cell.zone = BODY
            if cell.zone == BODY and CLOSINGS.search(cell.text):
                closing = cell
        # the return line: the first cell of the address field when it gives a whole
        # address on one line (name, street and postcode, set apart by separators), is
        # set smaller than the cells under it (DIN 5008 "Rücksendeangabe") or is one of
        # two cells with a postcode and a town
        if len(window) >= 3:
            first, rest = window[0], window[1:]
            with_postcode = bool(POSTCODE_AND_TOWN.search(first.text))
            whole = len(segments(first.text)) >= 3 or first.text.count(",") >= 2
            smaller = first.height < 0.85 * statistics.median(cell.height for cell in rest)
            twice = any(POSTCODE_AND_TOWN.search(cell.text) for cell in rest)
            if smaller or (with_postcode and (whole or twice)):
                first.zone = RETURN
        result += cells
    return result


def rows(cells):
    """The cells of each zone joined into rows (a label and its value beside it in the
    information block, "Kundennummer:" and "10042", become one row): a list of
    (page, zone, text), top to bottom."""
    result = []
    for cell in sorted(cells, key=lambda c: (c.page, c.y0)):
        for row in reversed(result[-6:]):
            page, zone, members = row
            last = members[-1]
            if (
                page == cell.page
                and zone == cell.zone
                and abs((last.y0 + last.y1) - (cell.y0 + cell.y1)) < 1.2 * max(cell.height, 1)
            ):
                members.append(cell)
                break
        else:
            result.append((cell.page, cell.zone, [cell]))
    return [
        (page, zone, " ".join(c.text for c in sorted(members, key=lambda c: c.x0)))
        for page, zone, members in result
    ]


def zone_texts(cells):
    """{zone: text} with the rows of each zone, one per line."""
    texts = {}
    for _page, zone, text in rows(cells):
        texts.setdefault(zone, []).append(text)
    return {zone: "\n".join(parts) for zone, parts in texts.items()}


def name_candidates(cells, zones=SENDER_ZONES, max_words=8):
    """Strings of the given zones that may be a company's name: each segment of a cell,
    each whole cell and, in the head, a cell joined with the cell under it (a name set
    over two lines); at most ``max_words`` words each."""
    found = []

    def add(text):
        text = " ".join(text.split())
        if (
            4 <= len(text) <= 80
            and sum(c.isalpha() for c in text) >= 4
            and len(text.split()) <= max_words
            and text not in found
        ):
            found.append(text)

    chosen = [cell for cell in cells if cell.zone in zones]
    for index, cell in enumerate(chosen):
        parts = segments(cell.text)
        for part in parts:
            add(part)
        add(cell.text)
        below = next(
            (
                other
                for other in chosen[index + 1 : index + 4]
                if other.page == cell.page
                and other.zone == HEAD == cell.zone
                and abs(other.x0 - cell.x0) < 3 * cell.height
            ),
            None,
        )
        if below is not None:
            add(f"{parts[-1]} {segments(below.text)[0]}")
    return found
