"""Google Contacts CSV (contacts.google.com > Export > Google CSV).

The columns as Google writes them since 2023: "First Name", "Middle Name", "Last Name",
"Phonetic ..." , "Name Prefix", "Name Suffix", "Nickname", "File As", "Organization Name",
"Organization Title", "Organization Department", "Birthday", "Notes", "Photo", "Labels",
then numbered groups "E-mail 1 - Label"/"E-mail 1 - Value", "Phone 1 - Label"/"Phone 1 -
Value", "Address 1 - Label"/"- Formatted"/"- Street"/"- City"/"- PO Box"/"- Region"/
"- Postal Code"/"- Country"/"- Extended Address", "Website 1 - Label"/"- Value". Several
values of one kind share a cell separated by " ::: "; labels start with "* " for the
preferred value; "Labels" holds the contact groups ("* myContacts ::: Kunden"). The older
Google CSV ("Name", "Given Name", "Family Name", "Group Membership", "E-mail 1 - Type",
"Organization 1 - Name") is read too.
"""

import re

from . import split_name, tabular

HEADERS = [
    "First Name",
    "Middle Name",
    "Last Name",
    "Phonetic First Name",
    "Phonetic Middle Name",
    "Phonetic Last Name",
    "Name Prefix",
    "Name Suffix",
    "Nickname",
    "File As",
    "Organization Name",
    "Organization Title",
    "Organization Department",
    "Birthday",
    "Notes",
    "Photo",
    "Labels",
    "E-mail 1 - Label",
    "E-mail 1 - Value",
    "Phone 1 - Label",
    "Phone 1 - Value",
    "Phone 2 - Label",
    "Phone 2 - Value",
    "Address 1 - Label",
    "Address 1 - Formatted",
    "Address 1 - Street",
    "Address 1 - City",
    "Address 1 - PO Box",
    "Address 1 - Region",
    "Address 1 - Postal Code",
    "Address 1 - Country",
    "Address 1 - Extended Address",
    "Website 1 - Label",
    "Website 1 - Value",
]
_OLD = {
    "Given Name": "First Name",
    "Family Name": "Last Name",
    "Group Membership": "Labels",
    "Organization 1 - Name": "Organization Name",
    "Organization 1 - Title": "Organization Title",
    "Organization 1 - Department": "Organization Department",
    "Name Prefix": "Name Prefix",
}
_SEPARATOR = " ::: "
_SYSTEM_LABELS = {"myContacts", "starred", "* myContacts", "* starred"}


def looks_like(headings):
    names = set(headings)
    return (
        "E-mail 1 - Value" in names
        or "Phone 1 - Value" in names
        or ("Organization Name" in names and "File As" in names)
    )


def _first(value):
    return value.split(_SEPARATOR)[0].strip() if value else ""


def read(data):
    """(contacts, problems) of a Google Contacts CSV file (bytes)."""
    headings, rows = tabular.read_table(data)
    headings = [_OLD.get(h, h) for h in headings]
    contacts, problems = [], []
    for position, (line, cells) in enumerate(rows, 1):
        cell = {h: cells[i].strip() for i, h in enumerate(headings) if i < len(cells)}
        groups = _numbered(cell)
        values = {
            "first_name": cell.get("First Name", ""),
            "last_name": cell.get("Last Name", ""),
            "title": cell.get("Name Prefix", ""),
            "function": cell.get("Organization Title", ""),
            "department": cell.get("Organization Department", ""),
            "birthday": cell.get("Birthday", ""),
            "note": cell.get("Notes", ""),
        }
        organization = cell.get("Organization Name", "")
        if values["first_name"] or values["last_name"]:
            values["company_name"] = organization
        elif organization:
            values["name"], values["is_company"] = organization, "Firma"
        elif cell.get("Name"):
            values["first_name"], values["last_name"] = split_name(cell["Name"])
        phones = _preferred(groups.get("Phone", []))
        mobiles = [v for label, v in groups.get("Phone", []) if "mobil" in label.casefold()]
        values["phone"] = next((v for v in phones if v not in mobiles), "")
        values["mobile"] = mobiles[0] if mobiles else ""
        emails = _preferred(groups.get("E-mail", []))
        values["email"] = emails[0] if emails else ""
        websites = _preferred(groups.get("Website", []))
        values["website"] = websites[0] if websites else ""
        address = groups.get("Address", {})
        if isinstance(address, dict):
            values.update(
                street=address.get("Street", ""),
                street2=address.get("Extended Address", ""),
                city=address.get("City", ""),
                zip=address.get("Postal Code", ""),
                state=address.get("Region", ""),
                country=address.get("Country", ""),
            )
        labels = [
            label.strip()
            for label in (cell.get("Labels") or "").split(_SEPARATOR)
            if label.strip() and label.strip() not in _SYSTEM_LABELS
        ]
        values["tags"] = "; ".join(label.lstrip("* ") for label in labels)
        filled = {k: v for k, v in values.items() if v}
        contact = tabular.contact_from_values(position, line, filled, problems)
        if not contact:
            continue
        more = emails[1:] + [p for p in phones if p not in (values["phone"], values["mobile"])]
        if more:
            contact.note = "\n".join(p for p in (contact.note, ", ".join(more)) if p)
        contacts.append(contact)
    return contacts, problems


_NUMBERED = re.compile(r"^(E-mail|Phone|Address|Website) (\d+) - (.+)$")


def _numbered(cell):
    """{"E-mail": [(label, value)], "Phone": [...], "Website": [...], "Address": {part:
    value of the first address}}."""
    found = {}
    for heading, value in cell.items():
        match = _NUMBERED.match(heading)
        if match:
            kind, number, part = match.groups()
            found.setdefault(kind, {}).setdefault(int(number), {})[part] = value
    result = {}
    for kind, numbers in found.items():
        if kind == "Address":
            first = numbers[min(numbers)] if numbers else {}
            result[kind] = {part: _first(value) for part, value in first.items()}
            continue
        pairs = []
        for number in sorted(numbers):
            part = numbers[number]
            labels = (part.get("Label") or part.get("Type") or "").split(_SEPARATOR)
            for n, value in enumerate((part.get("Value") or "").split(_SEPARATOR)):
                if value.strip():
                    pairs.append((labels[n] if n < len(labels) else "", value.strip()))
        result[kind] = pairs
    return result


def _preferred(pairs):
    """The values, the preferred one ("* " before its label) first."""
    return [v for label, v in pairs if label.startswith("*")] + [
        v for label, v in pairs if not label.startswith("*")
    ]


def write(contacts):
    """The contacts as a Google Contacts CSV (UTF-8 without BOM: Google reads the first
    heading wrongly with one)."""
    index = {heading: i for i, heading in enumerate(HEADERS)}
    rows = []
    for contact in contacts:
        row = [""] * len(HEADERS)
        put = _putter(row, index)

        if contact.is_company:
            put("Organization Name", contact.name)
            put("File As", contact.name)
        else:
            first, last = contact.person_names
            put("First Name", first)
            put("Last Name", last)
            put("Name Prefix", contact.title)
            put("Organization Name", contact.company_name)
        put("Organization Title", contact.function)
        put("Organization Department", contact.department)
        put("Birthday", contact.birthday.isoformat() if contact.birthday else "")
        put("Notes", contact.note)
        put("Labels", _SEPARATOR.join(["* myContacts", *contact.tags]))
        if contact.email:
            put("E-mail 1 - Label", "* Work")
            put("E-mail 1 - Value", contact.email)
        if contact.phone:
            put("Phone 1 - Label", "Work")
            put("Phone 1 - Value", contact.phone)
        if contact.mobile:
            put("Phone 2 - Label", "Mobile")
            put("Phone 2 - Value", contact.mobile)
        if contact.street or contact.city or contact.zip:
            put("Address 1 - Label", "Work")
            put("Address 1 - Street", contact.street)
            put("Address 1 - Extended Address", contact.street2)
            put("Address 1 - City", contact.city)
            put("Address 1 - Region", contact.state)
            put("Address 1 - Postal Code", contact.zip)
            put("Address 1 - Country", contact.country)
        if contact.website:
            put("Website 1 - Label", "Work")
            put("Website 1 - Value", contact.website)
        rows.append(row)
    return tabular.write_csv(HEADERS, rows, encoding="utf-8")


def _putter(row, index):
    def put(heading, value):
        row[index[heading]] = value or ""

    return put
