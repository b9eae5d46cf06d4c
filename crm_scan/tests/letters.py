"""Letters as they really arrive, drawn with Pillow: no Odoo imports, so that
bench/scan_recognition.py and crm_scan's tests use the same pages.

A letter is laid out as DIN 5008 sets it: the sender's letterhead, the return line above
the address field, the address field with the recipient (our company), the information
block beside it, subject, text (tables on invoices and order confirmations), closing and
signature, and the footer with address, bank, register and management in columns. The
kinds of letters and how they reach us (scanner, fax, phone photo) are in ``KINDS`` and
``deliver``.

Identifiers are made valid (IBAN, VAT ids, IČO), so that the recognition reads them as it
reads real ones.
"""

import io
import random
import time

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

DEJAVU = "/usr/share/fonts/truetype/dejavu/"
URW = "/usr/share/fonts/opentype/urw-base35/"
FACES = {
    # name: (regular, bold); URW fonts come with ghostscript, DejaVu is the fallback
    "sans": (URW + "NimbusSans-Regular.otf", URW + "NimbusSans-Bold.otf"),
    "serif": (URW + "NimbusRoman-Regular.otf", URW + "NimbusRoman-Bold.otf"),
    "gothic": (URW + "URWGothic-Book.otf", URW + "URWGothic-Demi.otf"),
    "narrow": (URW + "NimbusSansNarrow-Regular.otf", URW + "NimbusSansNarrow-Bold.otf"),
    "book": (URW + "URWBookman-Light.otf", URW + "URWBookman-Demi.otf"),
    "palatino": (URW + "P052-Roman.otf", URW + "P052-Bold.otf"),
    "dejavu": (DEJAVU + "DejaVuSans.ttf", DEJAVU + "DejaVuSans-Bold.ttf"),
    "mono": (URW + "NimbusMonoPS-Regular.otf", URW + "NimbusMonoPS-Bold.otf"),
    "script": (URW + "Z003-MediumItalic.otf", URW + "Z003-MediumItalic.otf"),
}
_FONTS = {}
SCANNED = time.strptime("2026-12-01 09:30", "%Y-%m-%d %H:%M")

# the recipient: the company of the database the letters are read in
OUR_COMPANY = {
    "name": "Elbtal Handel GmbH",
    "street": "Königsbrücker Straße 96",
    "zip": "01099",
    "city": "Dresden",
    "country": "DE",
    "phone": "+49 351 4567890",
    "email": "info@elbtal-handel.de",
    "website": "www.elbtal-handel.de",
    "vat": "DE811569869",
    "registry": "HRB 30452",
    "iban": "DE02120300000000202051",
    "bank": "Deutsche Kreditbank",
    "staff": ["Sabine Krause", "Tomáš Dvořák"],
}


def font(face, size, bold=False):
    path = FACES.get(face, FACES["dejavu"])[1 if bold else 0]
    key = (path, size)
    if key not in _FONTS:
        try:
            _FONTS[key] = ImageFont.truetype(path, size)
        except OSError:
            _FONTS[key] = ImageFont.truetype(FACES["dejavu"][1 if bold else 0], size)
    return _FONTS[key]


class Sheet:
    """An A4 page drawn at ``dpi``, positions in millimetres, sizes in points."""

    def __init__(self, dpi=300, face="sans"):
        self.dpi = dpi
        self.face = face
        self.image = Image.new("L", (self.px(210), self.px(297)), 255)
        self.draw = ImageDraw.Draw(self.image)

    def px(self, mm):
        return round(mm * self.dpi / 25.4)

    def pt(self, points):
        return max(6, round(points * self.dpi / 72))

    def text(self, x, y, text, size=10, bold=False, face=None, spacing=0.0, align="left",
             fill=0):  # fmt: skip
        """Draw one line; ``spacing``: extra space between letters in mm; returns the
        height of the line in mm."""
        fnt = font(face or self.face, self.pt(size), bold)
        if spacing:
            width = sum(fnt.getlength(c) for c in text) + self.px(spacing) * (len(text) - 1)
        else:
            width = fnt.getlength(text)
        left = self.px(x)
        if align == "right":
            left -= width
        elif align == "center":
            left -= width / 2
        if spacing:
            for char in text:
                self.draw.text((left, self.px(y)), char, fill=fill, font=fnt)
                left += fnt.getlength(char) + self.px(spacing)
        else:
            self.draw.text((left, self.px(y)), text, fill=fill, font=fnt)
        return size * 0.3528 * 1.25

    def lines(self, x, y, lines, size=10, **kwargs):
        for line in lines:
            y += self.text(x, y, line, size=size, **kwargs)
        return y

    def rule(self, y, x0=20, x1=190, width=1):
        self.draw.line((self.px(x0), self.px(y), self.px(x1), self.px(y)), fill=0, width=width)

    def logo(self, x, y, rng):
        """A logo without words: a few shapes."""
        left, top = self.px(x), self.px(y)
        size = self.px(14)
        if rng.random() < 0.5:
            self.draw.ellipse((left, top, left + size, top + size), fill=60)
        else:
            self.draw.polygon(
                [(left, top + size), (left + size // 2, top), (left + size, top + size)], fill=60
            )
        self.draw.rectangle((left + size + 8, top + size // 3, left + 3 * size, top + size // 2),
                            fill=120)  # fmt: skip


# ------------------------------------------------------------------ words of letters
TEXTS = {
    "de": {
        "return_sep": " · ",
        "info": ["Ihr Zeichen", "Ihre Nachricht vom", "Unser Zeichen", "Datum"],
        "contact": "Ansprechpartner",
        "phone": "Telefon",
        "email": "E-Mail",
        "number_own": "Kundennummer",
        "number_yours": "Ihre Kundennummer",
        "invoice_ref_yours": "Ihre Rechnung",
        "greeting": "Sehr geehrte Damen und Herren,",
        "closing": "Mit freundlichen Grüßen",
        "for_attention": "z. Hd. Frau",
        "subjects": {
            "letter": [
                "Reklamation Lieferung",
                "Kündigung Wartungsvertrag",
                "Anfrage Angebot",
                "Änderung unserer Bankverbindung",
                "Terminbestätigung",
            ],
            "invoice": ["Rechnung"],
            "order": ["Auftragsbestätigung"],
            "delivery": ["Lieferschein"],
            "newsletter": ["Kundeninformation"],
        },
        "paragraphs": [
            "wir beziehen uns auf Ihre Lieferung vom {date} und müssen leider mitteilen, dass "
            "drei Kartons der Position 2 beschädigt bei uns angekommen sind.",
            "Bitte senden Sie uns bis zum {date} ein Angebot über 200 Stück des Artikels "
            "4711 sowie 50 Stück des Artikels 0815 zu.",
            "hiermit kündigen wir den bestehenden Wartungsvertrag fristgerecht zum {date}. "
            "Bitte bestätigen Sie uns den Eingang dieses Schreibens.",
            "wie mit Herrn Lehmann von der {other} besprochen, erhalten Sie anbei die "
            "Unterlagen zur Prüfung.",
            "Die Ware wird voraussichtlich in der 14. Kalenderwoche geliefert. Für Rückfragen "
            "stehen wir Ihnen gern zur Verfügung.",
            "Unsere Bankverbindung hat sich geändert. Bitte überweisen Sie künftige Zahlungen "
            "nur noch auf das unten angegebene Konto.",
        ],
        "table_head": ["Pos.", "Artikel", "Menge", "Einzelpreis", "Betrag"],
        "items": [
            "Schrauben M8 verzinkt",
            "Dübel 10 mm",
            "Winkel 90° Stahl",
            "Holzleim 5 kg",
            "Kabel NYM-J 3x1,5",
            "Steckdose Aufputz",
            "Fliesenkleber 25 kg",
        ],
        "total": "Gesamtbetrag",
        "vat_label": "USt-IdNr.",
        "payable": "Zahlbar innerhalb von 14 Tagen ohne Abzug.",
        "invoice_no": "Rechnung Nr.",
        "order_no": "Auftrag Nr.",
        "managing": "Geschäftsführer",
        "court": "Amtsgericht",
        "country_suffix": "",
    },
    "cs": {
        "return_sep": ", ",
        "info": ["Váš dopis zn.", "Ze dne", "Naše zn.", "Datum"],
        "contact": "Vyřizuje",
        "phone": "Telefon",
        "email": "E-mail",
        "number_own": "Zákaznické číslo",
        "number_yours": "Vaše číslo zákazníka",
        "invoice_ref_yours": "Vaše faktura",
        "greeting": "Vážené dámy, vážení pánové,",
        "closing": "S pozdravem",
        "for_attention": "k rukám paní",
        "subjects": {
            "letter": [
                "Reklamace dodávky",
                "Výpověď servisní smlouvy",
                "Poptávka",
                "Změna bankovního spojení",
                "Potvrzení termínu",
            ],
            "invoice": ["Faktura - daňový doklad"],
            "order": ["Potvrzení objednávky"],
            "delivery": ["Dodací list"],
            "newsletter": ["Informace pro zákazníky"],
        },
        "paragraphs": [
            "odvoláváme se na Vaši dodávku ze dne {date} a bohužel musíme sdělit, že tři "
            "kartony položky 2 dorazily poškozené.",
            "prosíme o zaslání nabídky do {date} na 200 kusů zboží 4711 a 50 kusů zboží 0815.",
            "tímto vypovídáme stávající servisní smlouvu ke dni {date}. Prosíme o potvrzení "
            "přijetí tohoto dopisu.",
            "jak bylo dohodnuto s panem Horákem ze společnosti {other}, zasíláme Vám v "
            "příloze podklady ke kontrole.",
            "Zboží bude dodáno pravděpodobně ve 14. kalendářním týdnu. V případě dotazů jsme "
            "Vám rádi k dispozici.",
            "Naše bankovní spojení se změnilo. Budoucí platby prosím poukazujte pouze na níže "
            "uvedený účet.",
        ],
        "table_head": ["Pol.", "Zboží", "Množství", "Cena/ks", "Celkem"],
        "items": [
            "Šrouby M8 pozinkované",
            "Hmoždinky 10 mm",
            "Úhelník 90° ocel",
            "Lepidlo na dřevo 5 kg",
            "Kabel CYKY 3x1,5",
            "Zásuvka na omítku",
        ],
        "total": "Celkem k úhradě",
        "vat_label": "DIČ",
        "payable": "Splatnost 14 dní od vystavení.",
        "invoice_no": "Faktura č.",
        "order_no": "Objednávka č.",
        "managing": "Jednatel",
        "court": "zapsáno v OR u",
        "country_suffix": "Německo",
    },
}


def _date(rng):
    return f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.2026"


def _money(rng, lang):
    value = rng.randint(1000, 999999) / 100
    text = f"{value:,.2f}".replace(",", " ").replace(".", ",")
    if lang == "de":
        return text.replace(" ", ".") + " €"
    return text + " Kč"


# ------------------------------------------------------------------ parts of a letter
def _zip_city(party):
    return f"{party['zip']} {party['city']}"


def letterhead(sheet, sender, rng, style):
    """The sender's letterhead; returns where it ends (mm)."""
    name = sender["name"]
    if style == "logo":  # only a logo: the name is in the return line and the footer
        sheet.logo(20, 10, rng)
        return 30
    if style == "spaced":
        sheet.text(105, 12, name.upper(), size=16, bold=True, spacing=1.6, align="center")
        sheet.text(105, 22, sender.get("tagline", ""), size=9, align="center")
        return 30
    if style == "right":
        sheet.logo(20, 10, rng)
        y = 12
        y += sheet.text(190, y, name, size=15, bold=True, align="right")
        for line in (sender["street"], _zip_city(sender), sender.get("head_contact", "")):
            if line:
                y += sheet.text(190, y, line, size=8, align="right")
        return max(y, 32)
    # "classic": the name large on the left, a tagline or the address under it
    sheet.text(20, 12, name, size=18, bold=True)
    sheet.text(20, 21, sender.get("tagline") or f"{sender['street']} · {_zip_city(sender)}", size=9)
    return 30


# where DIN 5008 puts the return line, the address field and the information block (mm
# from the top): form B (a letterhead of 45 mm, the usual one) and form A (27 mm)
FORMS = {"B": {"return": 47, "window": 53, "info": 50, "subject": 100},
         "A": {"return": 31, "window": 37, "info": 32, "subject": 84}}  # fmt: skip


def return_line(sheet, sender, lang, y=47):
    sep = TEXTS[lang]["return_sep"]
    sheet.text(20, y, sep.join([sender["name"], sender["street"], _zip_city(sender)]), size=7)
    sheet.rule(y + 3.5, 20, 100, width=1)


def address_field(sheet, recipient_lines, y=53):
    sheet.lines(20, y, recipient_lines, size=11)


def info_block(sheet, items, y=50):
    for label, value in items:
        sheet.text(125, y, f"{label}:", size=8)
        sheet.text(160, y, str(value), size=8)
        y += 4.2


def footer(sheet, sender, lang, identifiers, style="columns"):
    """Columns of small print at the bottom: address, contact, bank, register; with
    ``style`` "lines", the same centred in two or three lines, parts set apart by " · "."""
    words = TEXTS[lang]
    cols = [[sender["name"], sender["street"], _zip_city(sender)]]
    contact = []
    if "phone" in identifiers:
        if sender.get("phone_bare"):  # the number alone, as many footers print it
            contact.append(sender.get("phone_national") or sender["phone"])
        else:
            label = "Tel." if lang == "de" else "tel.:"
            contact.append(f"{label} {sender['phone']}")
    if "email" in identifiers:
        contact.append(sender["email"])
    if "website" in identifiers:
        contact.append(sender["website"])
    if contact:
        cols.append(contact)
    if "iban" in identifiers:
        cols.append([sender.get("bank", "Bank"), f"IBAN {sender['iban_printed']}",
                     f"BIC {sender.get('bic', 'XXXXDEXX')}"])  # fmt: skip
    register = []
    if "registry" in identifiers and sender.get("registry"):
        register.append(sender["registry_printed"])
    if "vat" in identifiers and sender.get("vat"):
        register.append(f"{words['vat_label']} {sender['vat']}")
    if register:
        register.append(f"{words['managing']}: {sender.get('manager', 'J. Weber')}")
        cols.append(register)
    sheet.rule(272, 20, 190, width=1)
    if style == "lines":
        parts = [part for col in cols for part in col]
        per_line = max(3, -(-len(parts) // 3))
        for index in range(0, len(parts), per_line):
            line = " · ".join(parts[index : index + per_line])
            sheet.text(105, 274 + 3.2 * index / per_line, line, size=6.5, align="center")
        return
    width = 170 / len(cols)
    for index, col in enumerate(cols):
        sheet.lines(20 + index * width, 274, col, size=7)


def body(sheet, y, paragraphs, size=10.5, width_chars=88):
    for paragraph in paragraphs:
        words = paragraph.split()
        line = ""
        for word in words:
            if len(line) + len(word) + 1 > width_chars:
                y += sheet.text(25, y, line, size=size)
                line = word
            else:
                line = f"{line} {word}".strip()
        if line:
            y += sheet.text(25, y, line, size=size)
        y += 3
    return y


def table(sheet, y, lang, rng, rows=5):
    words = TEXTS[lang]
    xs = [25, 40, 120, 145, 187]
    for x, head in zip(xs, words["table_head"], strict=True):
        sheet.text(x, y, head, size=9, bold=True, align="right" if x > 130 else "left")
    y += 5
    sheet.rule(y, 25, 188)
    y += 1.5
    for number in range(1, rows + 1):
        cells = [str(number), rng.choice(words["items"]), str(rng.randint(1, 500)),
                 _money(rng, lang), _money(rng, lang)]  # fmt: skip
        for x, cell in zip(xs, cells, strict=True):
            sheet.text(x, y, cell, size=9, align="right" if x > 130 else "left")
        y += 4.5
    sheet.rule(y + 1, 120, 188)
    sheet.text(120, y + 3, words["total"], size=9.5, bold=True)
    sheet.text(187, y + 3, _money(rng, lang), size=9.5, bold=True, align="right")
    return y + 12


def signature(sheet, y, lang, sender, signer, with_company=True):
    y += sheet.text(25, y, TEXTS[lang]["closing"], size=10.5) + 10
    y += sheet.text(25, y, signer, size=10.5)
    if with_company:
        y += sheet.text(25, y, sender["name"], size=10.5)
    return y


def recipient_lines(our, lang, attention=None):
    words = TEXTS[lang]
    lines = [our["name"]]
    if attention:
        lines.append(f"{words['for_attention']} {attention}")
    lines += [our["street"], _zip_city(our)]
    if words["country_suffix"]:
        lines.append(words["country_suffix"])
    return lines


# ------------------------------------------------------------------ whole letters
def letter_pages(kind, sender, lang, rng, our=None, identifiers=(), reference=None,
                 other="Nordstern Logistik GmbH", head_style="classic", face="sans",
                 counterparty=None, document_number=None, form="B",
                 foot_style="columns", with_return_line=True, signed_with_name=True,
                 attention=None, your_reference=None):  # fmt: skip
    """The pages (300 dpi, grey) of a letter of ``kind`` from ``sender`` to ``our``.

    :param identifiers: what the sender prints: 'number' (our debtor number for it, in
        the information block), 'number_yours' (the number it gives us, as "Ihre
        Kundennummer"), 'phone', 'email', 'website', 'iban', 'vat', 'registry'
    :param reference: the number shown with 'number' / 'number_yours'
    :param counterparty: for our own documents coming back: the customer they went to
    :param document_number: the invoice/order number printed on the document
    :param our: our company as in ``OUR_COMPANY`` (the default)
    :param form: DIN 5008 form "B" (letterhead of 45 mm) or "A" (27 mm, everything higher)
    :param foot_style: "columns" or "lines" (the footer centred, parts set apart by " · ")
    :param with_return_line: False for a letter without the return line above the address
    :param signed_with_name: False when the company's name is not under the signature
    :param attention: one of our staff the letter is for ("z. Hd."), else drawn from ``rng``
    :param your_reference: what the letter gives after "Ihr Zeichen", else drawn from ``rng``
    """
    our = OUR_COMPANY if our is None else our
    words = TEXTS[lang]
    sheet = Sheet(face=face)
    if kind == "own_document":
        return _own_document(sheet, lang, rng, our, counterparty, identifiers, reference,
                             document_number)  # fmt: skip
    if kind == "newsletter":
        return _newsletter(sheet, sender, lang, rng, identifiers)
    if kind == "handwritten":
        return _handwritten(sender, lang, rng, identifiers, reference)
    at = FORMS[form]
    letterhead(sheet, sender, rng, head_style)
    if with_return_line:
        return_line(sheet, sender, lang, at["return"])
    drawn = rng.choice(our["staff"]) if rng.random() < 0.4 else None
    attention = attention or drawn
    address_field(sheet, recipient_lines(our, lang, attention), at["window"])
    drawn = f"{rng.choice('ABCDEFGH')}{rng.randint(10, 99)}/{rng.randint(1, 9)}"
    info = [(words["info"][0], your_reference or drawn)]
    signer = sender.get("contact") or "Hans Weber"
    info.append((words["contact"], signer))
    if "phone" in identifiers:
        info.append((words["phone"], sender["phone"]))
    if "email" in identifiers:
        info.append((words["email"], sender["email"]))
    if "number" in identifiers:
        info.append((words["number_own"], reference))
    if "number_yours" in identifiers:
        info.append((words["number_yours"], reference))
    info.append((words["info"][3], _date(rng)))
    info_block(sheet, info, at["info"])
    subject_kind = {"invoice": "invoice", "order": "order", "multipage": "letter"}.get(
        kind, "letter"
    )
    subject = rng.choice(words["subjects"][subject_kind])
    y = at["subject"]
    if kind in ("invoice", "order") and document_number:
        label = words["invoice_no"] if kind == "invoice" else words["order_no"]
        subject = f"{subject} - {label} {document_number}"
    sheet.text(25, y, subject, size=11, bold=True)
    y += 10
    y += sheet.text(25, y, words["greeting"], size=10.5) + 3
    paragraphs = [
        p.format(date=_date(rng), other=other) for p in rng.sample(words["paragraphs"], 2)
    ]
    if kind in ("invoice", "order"):
        y = body(sheet, y, paragraphs[:1])
        y = table(sheet, y + 2, lang, rng, rows=rng.randint(3, 7))
        y = body(sheet, y, [words["payable"]])
    else:
        y = body(sheet, y, paragraphs)
    pages = []
    if kind == "multipage":
        # page 1 carries no identifier: the signature and the footer are on page 2
        y = body(
            sheet, y, [p.format(date=_date(rng), other=other) for p in words["paragraphs"][4:]]
        )
        pages.append(sheet.image)
        sheet = Sheet(face=face)
        sheet.text(190, 12, "2", size=9, align="right")
        y = body(
            sheet, 25, [p.format(date=_date(rng), other=other) for p in words["paragraphs"][:2]]
        )
    signature(sheet, y + 4, lang, sender, signer, with_company=signed_with_name)
    footer(sheet, sender, lang, identifiers, foot_style)
    pages.append(sheet.image)
    return pages


def _own_document(sheet, lang, rng, our, customer, identifiers, reference, number):
    """Our own invoice (or order confirmation) that comes back signed or stamped: our
    letterhead and footer, the customer in the address field."""
    words = TEXTS[lang]
    us = dict(our, iban_printed=_spaced_iban(our["iban"]), registry_printed=our["registry"],
              tagline="Großhandel für Bau und Haustechnik")  # fmt: skip
    letterhead(sheet, us, rng, "classic")
    return_line(sheet, us, lang)
    address_field(sheet, [customer["name"], customer["street"], _zip_city(customer)])
    info = [(words["phone"], our["phone"]), (words["email"], our["email"])]
    if "number_yours" in identifiers:
        info.append((words["number_yours"], reference))
    info.append((words["info"][3], _date(rng)))
    info_block(sheet, info)
    sheet.text(25, 100, f"{words['subjects']['invoice'][0]} {words['invoice_no']} {number}",
               size=11, bold=True)  # fmt: skip
    y = table(sheet, 112, lang, rng, rows=4)
    y = body(sheet, y, [words["payable"]])
    # the customer's stamp and signature on the way back
    sheet.text(120, y + 8, "ERHALTEN" if lang == "de" else "PŘIJATO", size=16, bold=True, fill=90)
    sheet.text(120, y + 16, _date(rng), size=11, fill=90)
    footer(sheet, us, lang, ("phone", "email", "iban", "vat", "registry"))
    return [sheet.image]


def _newsletter(sheet, sender, lang, rng, identifiers):
    """A two-column customer newsletter: a masthead with the name, the name again on the
    next line of the masthead, text in two columns, the footer."""
    words = TEXTS[lang]
    sheet.text(105, 12, sender["name"].split()[0].upper(), size=26, bold=True, align="center")
    sheet.text(105, 25, f"{sender['name']} · {words['subjects']['newsletter'][0]} 3/2026", size=10,
               align="center")  # fmt: skip
    sheet.rule(32, 20, 190, width=3)
    for column, x in enumerate((20, 110)):
        y = 40
        for paragraph in rng.sample(words["paragraphs"], 3):
            text = paragraph.format(date=_date(rng), other="Nordstern Logistik GmbH")
            chunk = []
            for word in text.split():
                chunk.append(word)
                if len(" ".join(chunk)) > 40:
                    y += sheet.text(x, y, " ".join(chunk), size=9.5)
                    chunk = []
            if chunk:
                y += sheet.text(x, y, " ".join(chunk), size=9.5)
            y += 4
        if column == 0:
            y += 6
    footer(sheet, sender, lang, identifiers)
    return [sheet.image]


def _handwritten(sender, lang, rng, identifiers, reference):
    """A short handwritten note (a script font, uneven lines) on a plain sheet."""
    sheet = Sheet(face="script")
    lines = (
        ["Bitte um Rückruf wegen", "der letzten Lieferung!"]
        if lang == "de"
        else ["Prosím o zavolání kvůli", "poslední dodávce!"]
    )
    if "number" in identifiers:
        lines.append(("Kd.-Nr. " if lang == "de" else "Zák. č. ") + str(reference))
    lines += [sender.get("contact") or "H. Weber", sender["name"]]
    if "phone" in identifiers:
        lines.append(sender["phone"])
    y = 40
    for line in lines:
        sheet.text(30 + rng.uniform(-3, 3), y, line, size=rng.uniform(17, 21), face="script")
        y += rng.uniform(13, 16)
    return [sheet.image.rotate(rng.uniform(-2.5, 2.5), fillcolor=255)]


def _spaced_iban(iban):
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


# ------------------------------------------------------------------ how letters arrive
def _noise(image, rng, amount):
    pixels = image.load()
    width, height = image.size
    for _ in range(int(width * height * amount)):
        pixels[rng.randrange(width), rng.randrange(height)] = rng.choice((0, 255, 128))
    return image


def scan(pages, rng, dpi=None):
    """An office scanner: 200 or 300 dpi, slight skew, a little noise; a PDF."""
    dpi = dpi or rng.choice((200, 300, 300))
    out_pages = []
    for page in pages:
        image = page
        if dpi != 300:
            image = image.resize((round(image.width * dpi / 300), round(image.height * dpi / 300)),
                                 Image.Resampling.LANCZOS)  # fmt: skip
        image = image.rotate(rng.uniform(-1.2, 1.2), resample=Image.Resampling.BICUBIC,
                             fillcolor=255)  # fmt: skip
        if rng.random() < 0.5:
            image = _noise(image, rng, 0.002)
        out_pages.append(image.convert("RGB"))
    out = io.BytesIO()
    # a fixed date: the same letter gives the same file (bench/scan_recognition.py's OCR cache)
    out_pages[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=out_pages[1:],
                      creationDate=SCANNED, modDate=SCANNED)  # fmt: skip
    return out.getvalue(), f"scan {dpi} dpi"


def fax(pages, rng, fine=None):
    """A fax: 1 bit, 204 x 196 dpi (fine) or 204 x 98 dpi (standard), the transmission
    line at the top, specks; a multi-page TIFF as fax servers write it."""
    fine = rng.random() < 0.6 if fine is None else fine
    frames = []
    for number, page in enumerate(pages, start=1):
        image = page.copy()
        draw = ImageDraw.Draw(image)
        header = f"{_date(rng)} 10:{rng.randint(10, 59)}  FAX  S. {number}/{len(pages)}"
        draw.text((60, 20), header, fill=0, font=font("mono", 34))
        ydpi = 196 if fine else 98
        image = image.resize((round(image.width * 204 / 300), round(image.height * ydpi / 300)),
                             Image.Resampling.BILINEAR)  # fmt: skip
        image = _noise(image, rng, 0.003)
        frames.append(image.point(lambda v: 255 if v > 150 else 0).convert("1"))
    out = io.BytesIO()
    frames[0].save(out, "TIFF", compression="group4", dpi=(204, ydpi), save_all=True,
                   append_images=frames[1:])  # fmt: skip
    return out.getvalue(), f"fax {'fine' if fine else 'standard'}"


def photo(pages, rng):
    """A phone photo of the first page: a 12-megapixel JPEG, the sheet in perspective on a
    darker desk, light falling unevenly, slightly out of focus."""
    page = pages[0].convert("L")
    width, height = 3024, 4032
    desk = Image.new("L", (width, height), rng.randint(70, 110))
    margin = 0.06

    def corner(x, y):
        return (width * (x + rng.uniform(-0.03, 0.03)), height * (y + rng.uniform(-0.02, 0.02)))

    target = [corner(margin, margin), corner(1 - margin, margin),
              corner(1 - margin, 1 - margin), corner(margin, 1 - margin)]  # fmt: skip
    coeffs = _perspective(target, [(0, 0), (page.width, 0), (page.width, page.height),
                                   (0, page.height)])  # fmt: skip
    warped = page.transform((width, height), Image.Transform.PERSPECTIVE, coeffs,
                            Image.Resampling.BICUBIC, fillcolor=0)  # fmt: skip
    mask = Image.new("L", page.size, 255).transform(
        (width, height), Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BILINEAR,
        fillcolor=0,
    )  # fmt: skip
    desk.paste(warped, (0, 0), mask)
    # light from one side: up to a quarter darker on the other
    light = Image.linear_gradient("L").resize((width, height)).point(lambda v: 255 - v // 4)
    if rng.random() < 0.5:
        light = light.transpose(Image.Transpose.ROTATE_90).resize((width, height))
    image = ImageChops.multiply(desk, light)
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.8, 1.6)))
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=rng.randint(70, 88))
    return out.getvalue(), "phone photo"


def _perspective(target, source):
    """Coefficients of Image.transform(PERSPECTIVE) mapping ``target`` corners back to
    ``source`` corners (solved with plain Gaussian elimination)."""
    matrix = []
    for (x, y), (u, v) in zip(target, source, strict=True):
        matrix.append([x, y, 1, 0, 0, 0, -u * x, -u * y, u])
        matrix.append([0, 0, 0, x, y, 1, -v * x, -v * y, v])
    size = 8
    for col in range(size):
        pivot = max(range(col, size), key=lambda r: abs(matrix[r][col]))
        matrix[col], matrix[pivot] = matrix[pivot], matrix[col]
        for row in range(size):
            if row != col:
                factor = matrix[row][col] / matrix[col][col]
                matrix[row] = [
                    a - factor * b for a, b in zip(matrix[row], matrix[col], strict=True)
                ]
    return [matrix[i][size] / matrix[i][i] for i in range(size)]


def deliver(pages, how, rng):
    """The file that reaches us: (bytes, label)."""
    if how == "fax":
        return fax(pages, rng)
    if how == "photo":
        return photo(pages, rng)
    return scan(pages, rng)


def sample_rng(seed):
    return random.Random(seed)
