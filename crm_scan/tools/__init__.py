from . import matching, ocr, recognition
