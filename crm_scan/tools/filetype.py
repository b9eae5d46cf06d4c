"""What a file handed in really is, from its first bytes (never from its name): pure Python,
no ORM.

``detect_kind`` names the kinds crm_scan reads; ``identify`` names the others for the reason
shown on a document that cannot be read ("a ZIP archive named .pdf").
"""

KINDS = {
    b"%PDF": "pdf",
    b"\x89PNG\r\n\x1a\n": "png",
    b"\xff\xd8\xff": "jpeg",
    b"II*\x00": "tiff",
    b"MM\x00*": "tiff",
}
MIMETYPES = {
    "pdf": "application/pdf",
    "xml": "application/xml",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "tiff": "image/tiff",
}
# other formats people send as scans, for the reason shown
OTHERS = [
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"Rar!", "rar"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x1f\x8b", "gzip"),
    (b"\xd0\xcf\x11\xe0", "office"),
    (b"GIF8", "gif"),
    (b"BM", "bmp"),
    (b"{\\rtf", "rtf"),
]


def detect_kind(data):
    """'pdf', 'png', 'jpeg', 'tiff' from the file's first bytes, 'xml' for an XML document
    (an e-invoice: XRechnung, CII, ISDOC; read without OCR), or None."""
    head = (data or b"")[:1024]
    for magic, kind in KINDS.items():
        if head.startswith(magic):
            return kind
    if is_xml(head):
        return "xml"
    if any(head.startswith(magic) for magic, _what in OTHERS):
        return None  # an archive or document that merely contains a PDF
    if b"%PDF-" in head:  # some scanners put bytes before the header
        return "pdf"
    return None


def is_xml(head):
    """An XML document (not HTML): the declaration or a root element first, after a byte
    order mark and white space."""
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"<?xml"):
        return b"<html" not in text.lower()
    return (
        text[:1] == b"<"
        and text[1:2].isalpha()
        and not text[:5].lower().startswith((b"<html", b"<head", b"<body"))
    )


def identify(data):
    """What a file that is not a readable scan is: 'empty', 'zip', 'rar', '7z', 'gzip',
    'office', 'gif', 'bmp', 'rtf', 'webp', 'heic', 'html', 'text' or 'unknown'."""
    if not data:
        return "empty"
    head = data[:1024]
    for magic, what in OTHERS:
        if head.startswith(magic):
            return what
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftypmsf1"):
        return "heic"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        # a multi-byte character cut at the end of the sample is still text
        try:
            text = head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return "unknown"
    if "\x00" in text:
        return "unknown"
    if "<html" in text.lower() or "<!doctype html" in text.lower():
        return "html"
    return "text"
