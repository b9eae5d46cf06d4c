"""OCR of scanned files with tesseract (pytesseract) and poppler: pure Python, no ORM.

PDF pages are rendered at ``dpi`` (300) with ``pdftoppm``; images (PNG, JPEG, multi-page
TIFF) are read with Pillow. Each page gives its text and a one-page PDF with an invisible
text layer (tesseract's ``pdf`` output); ``merge_pdfs`` joins them into the searchable PDF.
Tesseract runs with OMP_THREAD_LIMIT=1: with several threads per page, parallel workers
fight for the cores and OCR gets several times slower.
"""

import io
import os
import re
import subprocess
import tempfile

import pytesseract
from PIL import Image, ImageSequence, UnidentifiedImageError
from PyPDF2 import PdfMerger

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


def _render_pdf_pages(data, first, last, dpi, folder):
    """Render pages first..last (1-based, inclusive) to PNG files; returns their paths."""
    source = os.path.join(folder, "in.pdf")
    with open(source, "wb") as handle:
        handle.write(data)
    try:
        result = subprocess.run(
            [
                "pdftoppm",
                "-r",
                str(dpi),
                "-f",
                str(first),
                "-l",
                str(last),
                "-gray",
                "-png",
                source,
                os.path.join(folder, "page"),
            ],
            capture_output=True,
            text=True,
            timeout=RENDER_TIMEOUT * (last - first + 1),
            check=False,
            env=_env(),
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrError("timeout", "pdftoppm") from exc
    pages = sorted(
        (name for name in os.listdir(folder) if name.startswith("page") and name.endswith(".png")),
        key=lambda name: int(re.search(r"(\d+)\.png$", name).group(1)),
    )
    if result.returncode or len(pages) != last - first + 1:
        raise OcrError("corrupt", result.stderr.strip()[-300:])
    return [os.path.join(folder, name) for name in pages]


def _image_pages(data, first, last, folder):
    paths = []
    try:
        with Image.open(io.BytesIO(data)) as image:
            for index, frame in enumerate(ImageSequence.Iterator(image), start=1):
                if index < first:
                    continue
                if index > last:
                    break
                path = os.path.join(folder, f"page-{index}.png")
                frame = frame.convert("L") if frame.mode not in ("1", "L") else frame
                frame.save(path, dpi=image.info.get("dpi", (300, 300)))
                paths.append(path)
    except (UnidentifiedImageError, OSError, ValueError, EOFError) as exc:
        raise OcrError("corrupt", str(exc)) from exc
    return paths


def ocr_pages(data, kind, first, last, lang="deu+ces+eng", dpi=300, timeout=180):
    """OCR pages first..last (1-based, inclusive) of a file.

    :return: list of (text, one-page searchable PDF bytes), one per page
    """
    os.environ["OMP_THREAD_LIMIT"] = "1"  # pytesseract starts tesseract with os.environ
    results = []
    with tempfile.TemporaryDirectory(prefix="crm_scan_") as folder:
        if kind == "pdf":
            paths = _render_pdf_pages(data, first, last, dpi, folder)
        elif kind in ("png", "jpeg", "tiff"):
            paths = _image_pages(data, first, last, folder)
        else:
            raise OcrError("unsupported", kind or "")
        for path in paths:
            try:
                text, pdf = pytesseract.run_and_get_multiple_output(
                    path, ["txt", "pdf"], lang=lang, timeout=timeout
                )
            except RuntimeError as exc:  # pytesseract raises RuntimeError on timeout
                raise OcrError("timeout", str(exc)) from exc
            except pytesseract.TesseractError as exc:
                raise OcrError("tesseract", str(exc.message)[-300:]) from exc
            results.append((text if isinstance(text, str) else text.decode(), pdf))
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
