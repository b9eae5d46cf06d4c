"""vCard files as other programs write them (written by hand for the tests)."""

# Outlook (Windows, "Save as vCard"): vCard 2.1, Windows-1252, quoted-printable with soft line
# breaks, bare 2.1 parameters, CRLF line ends.
OUTLOOK_21 = (
    b"BEGIN:VCARD\r\n"
    b"VERSION:2.1\r\n"
    b"N;LANGUAGE=de;CHARSET=Windows-1252:M\xfcller;J\xfcrgen;;Dr.\r\n"
    b"FN;CHARSET=Windows-1252:Dr. J\xfcrgen M\xfcller\r\n"
    b"ORG;CHARSET=Windows-1252:Gro\xdfhandel S\xfcd GmbH;Einkauf\r\n"
    b"TITLE;CHARSET=Windows-1252:Eink\xe4ufer\r\n"
    b"TEL;WORK;VOICE:+49 89 1234567\r\n"
    b"TEL;CELL;VOICE:0171 2345678\r\n"
    b"ADR;WORK;PREF;ENCODING=QUOTED-PRINTABLE;CHARSET=Windows-1252:;;Leopoldstra=DFe 12=\r\n"
    b"=0D=0AHinterhaus;M=FCnchen;Bayern;80802;Deutschland\r\n"
    b"LABEL;WORK;PREF;ENCODING=QUOTED-PRINTABLE;CHARSET=Windows-1252:Leopoldstra=DFe 12=\r\n"
    b"=0D=0A80802 M=FCnchen\r\n"
    b"URL;WORK:http://www.grosshandel-sued.example\r\n"
    b"BDAY:19700402\r\n"
    b"NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=Windows-1252:Kunde seit 1999, bevorzugt Anr"
    b"ufe am Vor=\r\n"
    b"mittag. Gr=FC=DFe an die Familie.\r\n"
    b"EMAIL;PREF;INTERNET:j.mueller@grosshandel-sued.example\r\n"
    b"X-MS-OL-DEFAULT-POSTAL-ADDRESS:2\r\n"
    b"REV:20240101T120000Z\r\n"
    b"END:VCARD\r\n"
)

# Outlook 2016 (vCard 3.0 export) style: UTF-8, folded long lines, typed parameters.
OUTLOOK_30_FOLDED = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "N:Dvořák;Jiří;;;\r\n"
    "FN:Jiří Dvořák\r\n"
    "ORG:Příklad s.r.o.\r\n"
    "TEL;TYPE=WORK,VOICE:+420 221 234 567\r\n"
    "ADR;TYPE=WORK:;;Václavské náměstí 1;Praha;;110 00;Česká republika\r\n"
    "EMAIL;TYPE=PREF,INTERNET:jiri.dvorak@priklad.example\r\n"
    "NOTE:Tato poznámka je dlouhá a proto ji Outlook zalomí na více řádků podle\r\n"
    "  RFC 2426\\, pokračovací řádky začínají mezerou.\r\n"
    "END:VCARD\r\n"
).encode()

# Apple Contacts / iOS: vCard 3.0, LF only, grouped properties, X-ABShowAs for companies.
APPLE_COMPANY = (
    "BEGIN:VCARD\n"
    "VERSION:3.0\n"
    "PRODID:-//Apple Inc.//macOS 14.0//EN\n"
    "N:;;;;\n"
    "FN:Bäckerei Körner KG\n"
    "ORG:Bäckerei Körner KG;\n"
    "item1.TEL;type=pref:030 9876543\n"
    "item2.ADR;type=WORK;type=pref:;;Brotweg 3;Potsdam;;14467;Deutschland\n"
    "item3.URL;type=pref:https://koerner.example\n"
    "X-ABShowAs:COMPANY\n"
    "END:VCARD\n"
).encode()

# vCard 4.0 (RFC 6350), e.g. Nextcloud / Thunderbird: KIND, quoted parameters, tel: URIs.
VCARD_40 = (
    b"BEGIN:VCARD\r\n"
    b"VERSION:4.0\r\n"
    b"KIND:individual\r\n"
    b"FN:Anna Schmidt\r\n"
    b"N:Schmidt;Anna;;;\r\n"
    b'TEL;VALUE=uri;TYPE="cell,voice";PREF=1:tel:+49-171-5550100\r\n'
    b"EMAIL;TYPE=home:anna@schmidt.example\r\n"
    b"ADR;TYPE=home:;;Lindenallee 7;Hamburg;;20095;Germany\r\n"
    b"BDAY:--0815\r\n"
    b"END:VCARD\r\n"
)

BROKEN_BETWEEN_GOOD = (
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Eins;Erika;;;\r\nFN:Erika Eins\r\nEND:VCARD\r\n"
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kaputt Karl\r\nDIESE ZEILE HAT KEINEN DOPPELPUNKT\r\n"
    b"END:VCARD\r\n"
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Falsches Datum\r\nBDAY:1970-13-45\r\nEND:VCARD\r\n"
    b"BEGIN:VCARD\r\nVERSION:5.0\r\nFN:Zukunft\r\nEND:VCARD\r\n"
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Drei;Dora;;;\r\nFN:Dora Drei\r\nEND:VCARD\r\n"
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ohne Ende\r\n"
)
