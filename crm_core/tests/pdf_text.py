"""Text of a PDF through poppler's pdftotext (a PDF reader independent of the code that
wrote the PDF), for report tests."""

import re
import shutil
import subprocess


def pdf_text(pdf, layout=True):
    if not shutil.which("pdftotext"):
        raise RuntimeError("pdftotext (Debian package poppler-utils) is not installed")
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + ["-", "-"]
    return subprocess.run(args, input=pdf, capture_output=True, check=True).stdout.decode()


def pdf_words(pdf):
    """[(page, text, x_min, y_min, x_max, y_max)] in points from the top-left corner."""
    html = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-bbox", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    words = []
    for page, body in enumerate(re.split(r"<page ", html)[1:], start=1):
        for match in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            body,
        ):
            x0, y0, x1, y1, text = match.groups()
            words.append((page, text, float(x0), float(y0), float(x1), float(y1)))
    return words


def pdf_pages(pdf):
    html = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return [
        (float(w), float(h))
        for w, h in re.findall(r'<page width="([\d.]+)" height="([\d.]+)">', html)
    ]
