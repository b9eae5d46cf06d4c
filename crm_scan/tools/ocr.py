"""OCR of scanned files with tesseract (pytesseract) and poppler: pure Python, no ORM.

A PDF page is rendered with ``pdftoppm`` at the resolution of its scanned image (150-300
dpi; 300 for born-digital pages) as an uncompressed PGM; a PNG or JPEG goes to tesseract as
it is, TIFF frames as PGM. One tesseract call per page gives its text, a one-page PDF with
an invisible text layer and the word confidences; a page read with low confidence below
300 dpi is read again at 300 dpi and the better reading kept. ``merge_pdfs`` joins the
pages into the searchable PDF.
Tesseract runs with OMP_THREAD_LIMIT=1: with several threads per page, parallel workers
fight for the cores and OCR gets several times slower.
"""

import csv
import io
import os
import re
import subprocess
import tempfile

import pytesseract
from PIL import Image, ImageSequence, UnidentifiedImageError
from PyPDF2 import PdfMerger
from pytesseract.pytesseract import run_tesseract

KINDS = {
    b"%PDF": "pdf",
    b"\x89PNG": "png",
    b"\xff\xd8\xff": "jpeg",
    b"II*\x00": "tiff",
    b"MM\x00*": "tiff",
}
MIMETYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "tiff": "image/tiff",
}
RENDER_TIMEOUT = 120
DPI = 300  # the resolution of the second reading of a hard page
MIN_DPI = 150
RETRY_CONFIDENCE = 70  # mean word confidence under which a page is read again at DPI
PSM = 3  # automatic page segmentation (letters: address block, columns, tables)


class OcrError(Exception):
    """A file that cannot be OCRed. ``code`` says why (for a translated message):
    unsupported, corrupt, encrypted, empty, language, tesseract, timeout."""

    def __init__(self, code, detail=""):
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


def detect_kind(data):
    """'pdf', 'png', 'jpeg', 'tiff' from the file's first bytes, or None."""
    head = (data or b"")[:1024]
    for magic, kind in KINDS.items():
        if head.startswith(magic):
            return kind
    if b"%PDF" in head:  # some scanners put bytes before the header
        return "pdf"
    return None


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


def pdf_page_count(data):
    """Number of pages of a PDF; OcrError for encrypted (password) or corrupt files."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        tmp.write(data)
        tmp.flush()
        result = subprocess.run(
            ["pdfinfo", tmp.name],
            capture_output=True,
            text=True,
            timeout=RENDER_TIMEOUT,
            check=False,
        )
    output = result.stdout + result.stderr
    if "Incorrect password" in output or re.search(r"^Encrypted:\s+yes.*copy:no", output, re.M):
        raise OcrError("encrypted", output.strip()[-300:])
    match = re.search(r"^Pages:\s+(\d+)", result.stdout, re.M)
    if result.returncode or not match:
        raise OcrError("corrupt", output.strip()[-300:])
    if int(match.group(1)) == 0:
        raise OcrError("empty", "0 pages")
    return int(match.group(1))


def image_page_count(data):
    try:
        with Image.open(io.BytesIO(data)) as image:
            return getattr(image, "n_frames", 1)
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise OcrError("corrupt", str(exc)) from exc


def page_count(data, kind):
    if kind == "pdf":
        return pdf_page_count(data)
    if kind in ("png", "jpeg", "tiff"):
        return image_page_count(data)
    raise OcrError("unsupported", kind or "")


def pdf_page_resolutions(data, first, last, folder):
    """{page: resolution in dpi of its scanned image} for pages first..last of a PDF
    (``pdfimages -list``); pages without an image (born-digital) are left out."""
    source = os.path.join(folder, "in.pdf")
    if not os.path.exists(source):
        with open(source, "wb") as handle:
            handle.write(data)
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


def _render_pdf_page(source, page, dpi, folder):
    """Render one page as an uncompressed grey-scale PGM (PNG encoding of a noisy 300 dpi
    page cost more CPU than its OCR); returns its path."""
    base = os.path.join(folder, f"p{page}-{dpi}")
    try:
        result = subprocess.run(
            [
                "pdftoppm",
                "-r",
                str(dpi),
                "-f",
                str(page),
                "-l",
                str(page),
                "-gray",
                "-singlefile",
                source,
                base,
            ],  # fmt: skip
            capture_output=True,
            text=True,
            timeout=RENDER_TIMEOUT,
            check=False,
            env=_env(),
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrError("timeout", "pdftoppm") from exc
    path = base + ".pgm"
    if result.returncode or not os.path.exists(path):
        raise OcrError("corrupt", result.stderr.strip()[-300:])
    return path


def _image_dpi(image):
    """The resolution an image file says it has, else a guess from an A4 page width."""
    dpi = image.info.get("dpi")
    if dpi and dpi[0] and dpi[0] > 1:
        return round(float(dpi[0]))
    return max(70, min(600, round(image.width / 8.27)))


def _image_frames(data, kind, first, last, folder):
    """(path, native dpi, image) for frames first..last of an image file. A one-page PNG
    or JPEG goes to tesseract as it is (no conversion); TIFF frames are saved as PGM."""
    frames = []
    try:
        with Image.open(io.BytesIO(data)) as image:
            dpi = _image_dpi(image)
            if (
                kind in ("png", "jpeg")
                and getattr(image, "n_frames", 1) == 1
                and image.mode in ("1", "L", "RGB")
            ):
                path = os.path.join(folder, f"page-1.{'png' if kind == 'png' else 'jpg'}")
                with open(path, "wb") as handle:
                    handle.write(data)
                image.load()
                return [(path, dpi, image.copy())]
            for index, frame in enumerate(ImageSequence.Iterator(image), start=1):
                if index < first:
                    continue
                if index > last:
                    break
                frame = frame.convert("L") if frame.mode not in ("1", "L") else frame.copy()
                path = os.path.join(folder, f"page-{index}.pgm" if frame.mode == "L" else
                                    f"page-{index}.pbm")  # fmt: skip
                frame.save(path)
                frames.append((path, dpi, frame))
    except (UnidentifiedImageError, OSError, ValueError, EOFError) as exc:
        raise OcrError("corrupt", str(exc)) from exc
    return frames


def _tesseract(path, dpi, lang, timeout, folder, psm=PSM):
    """One tesseract call giving text, the one-page searchable PDF and word confidences.

    :return: dict(text, pdf, confidence (mean word confidence 0-100), words, dpi)
    """
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
    with open(base + ".tsv", encoding="utf-8", errors="replace") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            try:
                conf = float(row.get("conf") or -1)
            except ValueError:
                continue
            if conf >= 0 and (row.get("text") or "").strip():
                confidences.append(conf)
    return {
        "text": text,
        "pdf": pdf,
        "confidence": sum(confidences) / len(confidences) if confidences else 0.0,
        "words": len(confidences),
        "dpi": int(dpi),
    }


def ocr_pages(
    data,
    kind,
    first,
    last,
    lang="deu+ces+eng",
    timeout=180,
    stats=None,
    retry_confidence=RETRY_CONFIDENCE,
):
    """OCR pages first..last (1-based, inclusive) of a file.

    Each page is read once at its own resolution (see ``recognition_dpi``); only when the
    mean word confidence stays below ``retry_confidence`` is it read again at ``DPI``
    (300) and the better reading kept. One tesseract call gives text and PDF.

    :param stats: a list that receives one dict per page (dpi, confidence, words,
        passes) for benchmarks
    :param retry_confidence: mean word confidence (0-100) under which a page is read again
    :return: list of (text, one-page searchable PDF bytes), one per page
    """
    os.environ["OMP_THREAD_LIMIT"] = "1"  # pytesseract starts tesseract with os.environ
    results = []
    with tempfile.TemporaryDirectory(prefix="crm_scan_") as folder:
        if kind == "pdf":
            source = os.path.join(folder, "in.pdf")
            with open(source, "wb") as handle:
                handle.write(data)
            native = pdf_page_resolutions(data, first, last, folder)
            pages = []
            for page in range(first, last + 1):
                dpi = recognition_dpi(native.get(page))

                def rerender(page=page):
                    return _render_pdf_page(source, page, DPI, folder)

                pages.append((_render_pdf_page(source, page, dpi, folder), dpi, rerender))
        elif kind in ("png", "jpeg", "tiff"):
            pages = []
            for path, native, image in _image_frames(data, kind, first, last, folder):

                def upscale(path=path, native=native, image=image):
                    scale = DPI / native
                    big = image.convert("L").resize(
                        (round(image.width * scale), round(image.height * scale)),
                        Image.Resampling.LANCZOS,
                    )
                    target = path.rsplit(".", 1)[0] + f"-{DPI}.pgm"
                    big.save(target)
                    return target

                pages.append((path, native, upscale))
        else:
            raise OcrError("unsupported", kind or "")
        for path, dpi, high in pages:
            best = _tesseract(path, dpi, lang, timeout, folder)
            passes = 1
            if best["confidence"] < retry_confidence and dpi < DPI:
                again = _tesseract(high(), DPI, lang, timeout, folder)
                passes = 2
                if (again["confidence"], again["words"]) > (best["confidence"], best["words"]):
                    best = again
            if stats is not None:
                stats.append(
                    {k: best[k] for k in ("dpi", "confidence", "words")} | {"passes": passes}
                )
            results.append((best["text"], best["pdf"]))
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
