"""crm_scan from outside: a scanner or integration uploads files through JSON-2 and reads
the documents back; the full-text search works over RPC too."""

import base64
import io
import urllib.error

import pytest
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _png(lines):
    image = Image.new("L", (900, 300), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 30)
    for index, line in enumerate(lines):
        draw.text((40, 40 + index * 45), line, fill=0, font=font)
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(150, 150))
    return out.getvalue()


def test_upload_and_read_over_json2(json2):
    data = _png(["Kundennummer: 55501", "RPC Scan Testfirma"])
    action = json2(
        "crm.scan.document",
        "action_upload_files",
        files=[["rpc_scan.png", base64.b64encode(data).decode()]],
    )
    doc_id = action["res_id"]
    [doc] = json2(
        "crm.scan.document",
        "read",
        ids=[doc_id],
        fields=["state", "file_kind", "source", "attachment_id"],
    )
    assert doc["state"] == "queued"
    assert doc["file_kind"] == "png"
    assert doc["source"] == "upload"
    attachment_id = doc["attachment_id"]
    attachment_id = attachment_id[0] if isinstance(attachment_id, list) else attachment_id
    [attachment] = json2("ir.attachment", "read", ids=[attachment_id], fields=["datas"])
    assert base64.b64decode(attachment["datas"]) == data
    json2("crm.scan.document", "action_process_now", ids=[doc_id])
    found = json2("crm.scan.document", "search", domain=[["text_search", "=", "Testfirma"]])
    assert doc_id in found


def test_private_methods_are_not_exposed(json2):
    with pytest.raises(urllib.error.HTTPError):
        json2("crm.scan.document", "_create_from_files", files=[["x.png", ""]])
