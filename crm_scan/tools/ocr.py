"""OCR of scanned files with tesseract (pytesseract) and poppler: pure Python, no ORM.

The original file is never changed: everything here works on copies in a temporary folder.

``inspect`` counts the pages of a file and checks their size before anything is decoded: a
decompression bomb (a few kilobytes that decode to billions of pixels), a poster-size PDF
page, an encrypted or damaged PDF end here with an ``OcrError`` naming the problem.

``ocr_pages`` reads pages one by one. A PDF page is rendered with ``pdftoppm`` at the
resolution of its scanned image (150-300 dpi; 300 for born-digital pages) as an
uncompressed PGM; a PNG or JPEG of at most 300 dpi goes to tesseract as it is, TIFF frames
and images above 300 dpi as a PGM at (at most) 300 dpi. One tesseract call per page gives
its text, a one-page PDF with an invisible text layer and its layout (tesseract's TSV: each
word with its box, block, paragraph and line); a page read with low confidence below 300
dpi is read again at 300 dpi and the better reading kept. A page that cannot be read (a
damaged TIFF frame, a PDF page poppler cannot render) gives a page with an ``error``; the
other pages are still read. ``merge_pdfs`` joins the pages into the searchable PDF.

Tesseract runs with OMP_THREAD_LIMIT=1: with several threads per page, parallel workers
fight for the cores and OCR gets several times slower.
"""

import csv
import io
import os
import re
import subprocess
import tempfile
import warnings

import pytesseract
from PIL import Image, ImageSequence, UnidentifiedImageError
from PyPDF2 import PdfMerger
from pytesseract.pytesseract import run_tesseract

RENDER_TIMEOUT = 120
DPI = 300  # the resolution of the second reading of a hard page, and the most OCR reads at
MIN_DPI = 150
RETRY_CONFIDENCE = 70  # mean word confidence under which a page is read again at DPI
PSM = 3  # automatic page segmentation (letters: address block, columns, tables)
MAX_PIXELS = 80_000_000  # an A3 page at 600 dpi is 70 million pixels
MAX_PAGES = 500
PREVIEW_WIDTH = 800
_PAGE_SIZE_RE = re.compile(r"^Page\s+(\d+)\s+size:\s+([\d.]+)\s+x\s+([\d.]+)\s+pts", re.M)
_IMAGE_ERRORS = (UnidentifiedImageError, OSError, ValueError, EOFError, SyntaxError)


class OcrError(Exception):
    """A file (or page) that cannot be read. ``code`` says why (for a translated message):
    unsupported, corrupt, encrypted, oversized, too_many_pages, empty, language, tesseract,
    timeout; ``args`` hold the values the message shows (page, width, height...)."""

    def __init__(self, code, detail="", **args):
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail
        self.args_ = args


def _env():
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"
    return env


def missing_languages(lang):
    """The languages of ``lang`` ("deu+ces+eng") that tesseract does not have."""
    try:
        available = set(pytesseract.get_languages())
    except pytesseract.TesseractNotFoundError as exc:
        raise OcrError("tesseract", str(exc)) from exc
    return [code for code in lang.split("+") if code and code not in available]


# ------------------------------------------------------------------ what a file holds
def _pdfinfo(path, first=None, last=None):
    args = ["pdfinfo"]
    if first:
        args += ["-f", str(first), "-l", str(last)]
    try:
        result = subprocess.run(
            [*args, path], capture_output=True, text=True, timeout=RENDER_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrError("timeout", "pdfinfo") from exc
    return result


def pdf_page_count(data):
    """Number of pages of a PDF; OcrError for encrypted (password) or corrupt files."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        tmp.write(data)
        tmp.flush()
        result = _pdfinfo(tmp.name)
    output = result.stdout + result.stderr
    if "Incorrect password" in output:
        raise OcrError("encrypted", output.strip()[-300:])
    match = re.search(r"^Pages:\s+(\d+)", result.stdout, re.M)
    if result.returncode or not match:
        raise OcrError("corrupt", output.strip()[-300:])
    if int(match.group(1)) == 0:
        raise OcrError("corrupt", "0 pages")
    return int(match.group(1))


def pdf_page_sizes(path, first, last):
    """{page: (width, height) in points} of pages first..last."""
    result = _pdfinfo(path, first, last)
    return {
        int(m.group(1)): (float(m.group(2)), float(m.group(3)))
        for m in _PAGE_SIZE_RE.finditer(result.stdout)
    }


def _open_image(data):
    """Open an image file for reading its header and frames; Pillow's own bomb check
    (which raises on more than twice its limit and warns below) is left to ``_check_frame``,
    which applies ours."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            return Image.open(io.BytesIO(data))
        except Image.DecompressionBombError as exc:
            match = re.search(r"\((\d+) pixels\)", str(exc))
            pixels = int(match.group(1)) if match else 0
            raise OcrError(
                "oversized", str(exc), page=1, width=0, height=0, megapixels=pixels // 10**6
            ) from exc
        except _IMAGE_ERRORS as exc:
            raise OcrError("corrupt", str(exc)) from exc


def _check_frame(image, page, max_pixels):
    width, height = image.size
    if width * height > max_pixels:
        raise OcrError(
            "oversized",
            f"{width} x {height}",
            page=page,
            width=width,
            height=height,
            megapixels=round(width * height / 10**6),
        )


def image_is_safe(data, max_pixels=50_000_000):
    """Whether an image file may be decoded for a preview: its header can be read and no
    frame has more than ``max_pixels`` (Odoo's own limit for images is 50 million)."""
    try:
        image_page_count(data, max_pixels, MAX_PAGES)
    except OcrError:
        return False
    return True


def image_page_count(data, max_pixels=MAX_PIXELS, max_pages=MAX_PAGES):
    """Number of frames of an image file, each checked against ``max_pixels`` from its
    header (nothing is decoded)."""
    image = _open_image(data)
    try:
        count = 0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            for count, frame in enumerate(ImageSequence.Iterator(image), start=1):
                if count > max_pages:
                    raise OcrError("too_many_pages", pages=count, max=max_pages)
                _check_frame(frame, count, max_pixels)
        return count
    except (*_IMAGE_ERRORS, Image.DecompressionBombError) as exc:
        raise OcrError("corrupt", str(exc)) from exc
    finally:
        image.close()


def inspect(data, kind, max_pixels=MAX_PIXELS, max_pages=MAX_PAGES):
    """The number of pages of a file, after checking that it can be read within the limits
    (nothing is decoded). Raises OcrError: unsupported, corrupt, encrypted, oversized,
    too_many_pages."""
    if kind == "pdf":
        count = pdf_page_count(data)
        if count > max_pages:
            raise OcrError("too_many_pages", pages=count, max=max_pages)
        return count
    if kind in ("png", "jpeg", "tiff"):
        return image_page_count(data, max_pixels, max_pages)
    raise OcrError("unsupported", kind or "")


def pdf_page_resolutions(source, first, last):
    """{page: resolution in dpi of its scanned image} for pages first..last of a PDF
    (``pdfimages -list``); pages without an image (born-digital) are left out."""
    try:
        result = subprocess.run(
            ["pdfimages", "-list", "-f", str(first), "-l", str(last), source],
            capture_output=True,
            text=True,
            timeout=RENDER_TIMEOUT,
            check=False,
        )
    except (subprocess.TimeoutExpired, OSError):
        return {}  # no pdfimages: the pages are read at DPI
    resolutions = {}
    for line in result.stdout.splitlines()[2:]:
        cols = line.split()
        # page num type width height color comp bpc enc interp object ID x-ppi y-ppi ...
        if len(cols) >= 14 and cols[0].isdigit() and cols[2] == "image":
            try:
                ppi = min(int(cols[12]), int(cols[13]))
            except ValueError:
                continue
            page = int(cols[0])
            resolutions[page] = max(resolutions.get(page, 0), ppi)
    return resolutions


def recognition_dpi(native):
    """The resolution to OCR a scan at first: its own (upscaling adds noise and time; at
    150-300 dpi tesseract reads ordinary print well), at least 150 and at most ``DPI``;
    unknown (a born-digital page) -> ``DPI``."""
    if not native:
        return DPI
    return max(MIN_DPI, min(DPI, native))


def render_dpi(size_pt, dpi, max_pixels):
    """``dpi`` lowered so that a PDF page of ``size_pt`` (points) renders to at most
    ``max_pixels``; None when even 72 dpi is too much (a poster-size page)."""
    width, height = size_pt
    pixels = width * height * (dpi / 72) ** 2
    if pixels <= max_pixels:
        return dpi
    fitted = int(dpi * (max_pixels / pixels) ** 0.5)
    return fitted if fitted >= 72 else None


# ------------------------------------------------------------------ pages to read
def _render_pdf_page(source, page, dpi, folder):
    """Render one page as an uncompressed grey-scale PGM (PNG encoding of a noisy 300 dpi
    page cost more CPU than its OCR); returns its path."""
    base = os.path.join(folder, f"p{page}-{dpi}")
    try:
        result = subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-gray",
             "-singlefile", source, base],
            capture_output=True,
            text=True,
            timeout=RENDER_TIMEOUT,
            check=False,
            env=_env(),
        )  # fmt: skip
    except subprocess.TimeoutExpired as exc:
        raise OcrError("timeout", "pdftoppm") from exc
    path = base + ".pgm"
    if result.returncode or not os.path.exists(path):
        raise OcrError("corrupt", result.stderr.strip()[-300:])
    return path


def _image_dpi(image):
    """The (horizontal, vertical) resolution an image file says it has, else a guess from
    an A4 page width. A fax in standard mode has 204 x 98 dpi."""
    dpi = image.info.get("dpi")
    try:
        if dpi and dpi[0] and float(dpi[0]) > 1:
            x = round(float(dpi[0]))
            y = round(float(dpi[1])) if len(dpi) > 1 and dpi[1] and float(dpi[1]) > 1 else x
            return x, y
    except (TypeError, ValueError):
        pass
    guess = max(70, min(600, round(image.width / 8.27)))
    return guess, guess


class _Page:
    """One page to read: where its image is, at which resolution, and how to make the
    300 dpi image for a second reading."""

    def __init__(self, number, path=None, dpi=None, high=None, error=None):
        self.number, self.path, self.dpi, self.high, self.error = number, path, dpi, high, error


def _pdf_pages(data, first, last, folder, max_pixels):
    source = os.path.join(folder, "in.pdf")
    with open(source, "wb") as handle:
        handle.write(data)
    native = pdf_page_resolutions(source, first, last)
    sizes = pdf_page_sizes(source, first, last)
    pages = []
    for number in range(first, last + 1):
        size = sizes.get(number, (595.0, 842.0))
        dpi = render_dpi(size, recognition_dpi(native.get(number)), max_pixels)
        if dpi is None:
            pixels = size[0] * size[1] * (MIN_DPI / 72) ** 2
            error = OcrError(
                "oversized",
                f"{size[0]:.0f} x {size[1]:.0f} pt",
                page=number,
                width=round(size[0] * MIN_DPI / 72),
                height=round(size[1] * MIN_DPI / 72),
                megapixels=round(pixels / 10**6),
            )
            pages.append(_Page(number, error=error))
            continue
        high_dpi = render_dpi(size, DPI, max_pixels)
        try:
            path = _render_pdf_page(source, number, dpi, folder)
        except OcrError as exc:
            pages.append(_Page(number, error=exc))
            continue

        def rerender(number=number, high_dpi=high_dpi):
            return _render_pdf_page(source, number, high_dpi, folder), high_dpi

        pages.append(_Page(number, path, dpi, rerender if high_dpi > dpi else None))
    return pages


def _image_pages(data, kind, first, last, folder, max_pixels):
    """Frames first..last of an image file as pages. A one-page PNG or JPEG of at most
    300 dpi goes to tesseract as it is (a copy of the file, no conversion); other frames
    are saved as PGM (grey), brought down to 300 dpi when scanned finer."""
    image = _open_image(data)
    pages = []
    with image, warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        dpi, ydpi = _image_dpi(image)
        # pixels that are not square (a fax) are made square for the OCR
        stretch = ydpi / dpi if abs(ydpi - dpi) > 0.1 * dpi else 1.0
        try:
            frames = getattr(image, "n_frames", 1)
        except _IMAGE_ERRORS as exc:
            raise OcrError("corrupt", str(exc)[:300]) from exc
        for number in range(first, min(last, frames) + 1):
            try:
                image.seek(number - 1)
                _check_frame(image, number, max_pixels)
                if (
                    kind in ("png", "jpeg")
                    and frames == 1
                    and image.mode in ("1", "L", "RGB")
                    and dpi <= DPI
                    and stretch == 1.0
                ):
                    path = os.path.join(folder, f"page-1.{'png' if kind == 'png' else 'jpg'}")
                    with open(path, "wb") as handle:
                        handle.write(data)
                    image.load()
                    frame = image.copy()
                else:
                    frame = image.convert("L") if image.mode not in ("1", "L") else image.copy()
                    scale = min(1.0, DPI / dpi)
                    if stretch != 1.0:
                        # a fax in standard mode: made square at 300 dpi at once (read at
                        # its 204 dpi it would be read twice)
                        scale = DPI / dpi
                    if scale != 1.0 or stretch != 1.0:
                        frame = frame.convert("L").resize(
                            (round(frame.width * scale), round(frame.height * scale / stretch)),
                            Image.Resampling.LANCZOS,
                        )
                    suffix = "pgm" if frame.mode == "L" else "pbm"
                    path = os.path.join(folder, f"page-{number}.{suffix}")
                    frame.save(path)
            except OcrError as exc:
                pages.append(_Page(number, error=exc))
                continue
            except _IMAGE_ERRORS as exc:
                pages.append(_Page(number, error=OcrError("corrupt", str(exc)[:300])))
                continue
            page_dpi = DPI if stretch != 1.0 else min(dpi, DPI)

            def upscale(path=path, frame=frame, page_dpi=page_dpi):
                scale = DPI / page_dpi
                big = frame.convert("L").resize(
                    (round(frame.width * scale), round(frame.height * scale)),
                    Image.Resampling.LANCZOS,
                )
                target = path.rsplit(".", 1)[0] + f"-{DPI}.pgm"
                big.save(target)
                return target, DPI

            pages.append(_Page(number, path, page_dpi, upscale if page_dpi < DPI else None))
        for number in range(max(first, frames + 1), last + 1):
            pages.append(_Page(number, error=OcrError("corrupt", "missing frame")))
    return pages


# ------------------------------------------------------------------ reading
def _tesseract(path, dpi, lang, timeout, folder, psm=PSM):
    """One tesseract call giving text, the one-page searchable PDF, word confidences and
    the layout (words with their boxes)."""
    base = os.path.join(folder, f"out-{os.path.basename(path)}")
    config = f"--dpi {int(dpi)} --psm {psm} -c tessedit_create_tsv=1"
    try:
        run_tesseract(path, base, "txt pdf", lang, config=config, timeout=timeout)
    except RuntimeError as exc:  # pytesseract raises RuntimeError on timeout
        raise OcrError("timeout", str(exc)) from exc
    except pytesseract.TesseractError as exc:
        raise OcrError("tesseract", str(exc.message)[-300:]) from exc
    with open(base + ".txt", "rb") as handle:
        text = handle.read().decode("utf-8", "replace")
    with open(base + ".pdf", "rb") as handle:
        pdf = handle.read()
    confidences = []
    words = []
    size = (0, 0)
    with open(base + ".tsv", encoding="utf-8", errors="replace") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            try:
                conf = float(row.get("conf") or -1)
                box = [int(row[k]) for k in ("left", "top", "width", "height")]
                ids = [int(row[k]) for k in ("block_num", "par_num", "line_num")]
            except (KeyError, TypeError, ValueError):
                continue
            if row.get("level") == "1":
                size = (box[2], box[3])
            word = (row.get("text") or "").strip()
            if conf >= 0 and word:
                confidences.append(conf)
                words.append([*ids, *box, round(conf), word])
    return {
        "text": text,
        "pdf": pdf,
        "confidence": sum(confidences) / len(confidences) if confidences else 0.0,
        "words": words,
        "size": size,
        "dpi": int(dpi),
    }


def _preview(path):
    """A small PNG of a page image, for the document's form."""
    try:
        with Image.open(path) as image:
            image = image.convert("L")
            if image.width > PREVIEW_WIDTH:
                image = image.resize(
                    (PREVIEW_WIDTH, round(image.height * PREVIEW_WIDTH / image.width)),
                    Image.Resampling.LANCZOS,
                )
            out = io.BytesIO()
            image.save(out, "PNG", optimize=True)
            return out.getvalue()
    except _IMAGE_ERRORS:
        return None


def ocr_pages(
    data,
    kind,
    first,
    last,
    lang="deu+ces+eng",
    timeout=180,
    stats=None,
    retry_confidence=RETRY_CONFIDENCE,
    max_pixels=MAX_PIXELS,
    preview=False,
):
    """OCR pages first..last (1-based, inclusive) of a file.

    Each page is read once at its own resolution (see ``recognition_dpi``); only when the
    mean word confidence stays below ``retry_confidence`` is it read again at ``DPI``
    (300) and the better reading kept. One tesseract call gives text, PDF and layout.

    :param stats: a list that receives one dict per page read (dpi, confidence, words,
        passes) for benchmarks
    :param retry_confidence: mean word confidence (0-100) under which a page is read again
    :param preview: also make a small PNG of the first page read
    :return: one dict per page: ``page`` (its number), ``text``, ``pdf`` (one-page
        searchable PDF), ``words`` (tesseract's layout: [block, paragraph, line, left, top,
        width, height, confidence, text]), ``size`` (pixels), ``dpi``, ``preview``, and
        ``error`` (an OcrError when the page could not be read; then no text)
    """
    os.environ["OMP_THREAD_LIMIT"] = "1"  # pytesseract starts tesseract with os.environ
    results = []
    with tempfile.TemporaryDirectory(prefix="crm_scan_") as folder:
        if kind == "pdf":
            pages = _pdf_pages(data, first, last, folder, max_pixels)
        elif kind in ("png", "jpeg", "tiff"):
            pages = _image_pages(data, kind, first, last, folder, max_pixels)
        else:
            raise OcrError("unsupported", kind or "")
        for page in pages:
            result = {"page": page.number, "text": "", "pdf": None, "words": [], "size": (0, 0),
                      "dpi": page.dpi, "preview": None, "error": page.error}  # fmt: skip
            if page.error:
                results.append(result)
                continue
            try:
                best = _tesseract(page.path, page.dpi, lang, timeout, folder)
                passes = 1
                if best["confidence"] < retry_confidence and page.high:
                    high_path, high_dpi = page.high()
                    again = _tesseract(high_path, high_dpi, lang, timeout, folder)
                    passes = 2
                    if (again["confidence"], len(again["words"])) > (
                        best["confidence"],
                        len(best["words"]),
                    ):
                        best = again
            except OcrError as exc:
                if exc.code == "language":
                    raise
                result["error"] = exc
                results.append(result)
                continue
            if stats is not None:
                stats.append(
                    {"dpi": best["dpi"], "confidence": best["confidence"],
                     "words": len(best["words"]), "passes": passes}
                )  # fmt: skip
            result.update({k: best[k] for k in ("text", "pdf", "words", "size", "dpi")})
            if preview and not any(r["preview"] for r in results):
                result["preview"] = _preview(page.path)
            results.append(result)
    return results


def merge_pdfs(parts):
    """Join PDF files (bytes) into one."""
    merger = PdfMerger()
    for part in parts:
        if part:
            merger.append(io.BytesIO(part))
    out = io.BytesIO()
    merger.write(out)
    merger.close()
    return out.getvalue()
