"""The suite's access matrix: one table, from which ACCESS.md is rendered
(scripts/readme.py) and tests/test_access_matrix.py checks every cell from outside.

Roles (each a user made by the test):

- ``portal``: a portal user;
- ``internal``: an internal user without CRM or accounting rights;
- ``crm_user``: CRM User; ``crm_manager``: CRM Manager;
- ``sepa_manager``: SEPA Manager, and no accounting group of its own;
- ``billing``: Odoo's Billing group (account.group_account_invoice), no CRM group;
- ``company2``: CRM Manager, SEPA Manager and Billing, member of a second company only. Its
  cells say what it may do with the *first* company's records (nothing, where a model
  belongs to a company); on models without a company, what its groups give it.

A cell lists the operations allowed: ``c`` create, ``r`` read, ``u`` write, ``d`` delete
(unlink), ``-`` none. ``LIMITS`` names records a role must not see although the cell allows
reading (private entries of others, other users' routes, ...), as a domain; the test proves
that the role sees none of them while the administrator sees some.

Placeholders in domains: ``$uid`` the role's user, ``$c1`` the first company,
``$customer`` the first company's customer made by the test, ``$secret`` the subject of a
private appointment of the administrator made by the test.

Where the table says what issue #17 asks and the addons do not do yet, the test fails on
that cell until the addon is fixed.
"""

from collections import namedtuple

ROLES = {
    "portal": "Portal user",
    "internal": "Internal user (no CRM, no accounting)",
    "crm_user": "CRM User",
    "crm_manager": "CRM Manager",
    "sepa_manager": "SEPA Manager (no accounting group)",
    "billing": "Billing (Odoo's invoicing group, no CRM group)",
    "company2": "User of a second company (CRM and SEPA Manager, Billing) on the first "
    "company's records",
}
GROUPS = {
    "portal": ["base.group_portal"],
    "internal": ["base.group_user"],
    "crm_user": ["crm_core.group_user"],
    "crm_manager": ["crm_core.group_manager"],
    "sepa_manager": ["crm_billing_sepa.group_sepa_manager"],
    "billing": ["account.group_account_invoice"],
    "company2": [
        "crm_core.group_manager",
        "crm_billing_sepa.group_sepa_manager",
        "account.group_account_invoice",
    ],
}

Row = namedtuple("Row", "model addon kind company cells note")
# kind: model, view (SQL view), wizard, odoo (an Odoo model whose access we decide)
# company: own (records of the user's companies only), shared (own companies or none),
#          "" (records belong to no company)


def row(model, addon, kind, company, cells, note=""):
    values = cells.split()
    assert len(values) == len(ROLES), f"{model}: {len(values)} cells for {len(ROLES)} roles"
    return Row(model, addon, kind, company, dict(zip(ROLES, values, strict=True)), note)


#            portal internal crm_user crm_manager sepa_manager billing company2
MODELS = [
    # crm_core
    row("crm.partner.number", "crm_core", "model", "own", "- - r crud r - -"),
    row("crm.partner.role", "crm_core", "model", "shared", "- - r crud r - -"),
    row("crm.partner.class", "crm_core", "model", "own", "- - r crud r - -"),
    row("crm.contact.role", "crm_core", "model", "shared", "- - r crud r - -"),
    row("crm.partner.link", "crm_core", "model", "shared", "- - crud crud crud - -"),
    row("crm.address.type", "crm_core", "model", "shared", "- - r crud r - -"),
    row("crm.project.role", "crm_core", "model", "", "- r r crud r r crud"),
    row(
        "crm.project.partner",
        "crm_core",
        "model",
        "shared",
        "- - crud crud crud - -",
        "project users (Odoo's Project group) too",
    ),
    row("crm.custom.field", "crm_core", "model", "", "- - r crud r - crud"),
    row("crm.partner.identifier", "crm_core", "model", "shared", "- - r r r - -"),
    row(
        "crm.partner.event",
        "crm_core",
        "model",
        "shared",
        "- - r r r - -",
        "the customer's event log: written by the system only, deleted with the customer",
    ),
    row("crm.revenue.report", "crm_core", "view", "own", "- - r r r - -"),
    row("crm.abc.report", "crm_core", "view", "own", "- - r r r - -"),
    row("crm.label.wizard", "crm_core", "wizard", "", "- - crud crud crud - crud"),
    row("crm.vcard.export", "crm_core", "wizard", "", "- - crud crud crud - crud"),
    row("crm.vcard.import", "crm_core", "wizard", "", "- - crud crud crud - crud"),
    row("crm.vcard.import.line", "crm_core", "wizard", "", "- - crud crud crud - crud"),
    row("crm.partner.import", "crm_core", "wizard", "", "- - crud crud crud - crud"),
    row("crm.partner.import.line", "crm_core", "wizard", "", "- - crud crud crud - crud"),
    row("crm.partner.import.column", "crm_core", "wizard", "", "- - crud crud crud - crud"),
    row(
        "crm.partner.import.mapping",
        "crm_core",
        "model",
        "shared",
        "- - cru crud cru - -",
        "the column mappings an import remembers",
    ),
    row(
        "crm.dav.change",
        "crm_core",
        "model",
        "",
        "- - - - - - -",
        "the CardDAV/CalDAV server's change log: read by the server for the user, "
        "administrators only",
    ),
    row(
        "crm.dav.object",
        "crm_core",
        "model",
        "",
        "- - - - - - -",
        "hrefs of the CardDAV/CalDAV server: administrators only",
    ),
    # crm_chronicle
    row("crm.chronicle.type", "crm_chronicle", "model", "", "- - r crud r - crud"),
    row("crm.chronicle.tag", "crm_chronicle", "model", "", "- - cr crud cr - crud"),
    row(
        "crm.chronicle.entry",
        "crm_chronicle",
        "model",
        "own",
        "- - cru crud cru - -",
        "private entries only for their author and responsible user, and managers",
    ),
    row(
        "crm.chronicle.resubmission",
        "crm_chronicle",
        "model",
        "own",
        "- - crud crud crud - -",
        "those of private entries only for their users, and managers",
    ),
    row(
        "crm.chronicle.correspondence",
        "crm_chronicle",
        "view",
        "own",
        "- - r r r - -",
        "every row has the company of its source; invoices and bills only for users who "
        "may read them (#17)",
    ),
    row("crm.chronicle.feed", "crm_chronicle", "wizard", "", "- - cru cru cru - cru"),
    row("crm.chronicle.report.wizard", "crm_chronicle", "wizard", "", "- - cru cru cru - cru"),
    row(
        "crm.chronicle.resubmission.done",
        "crm_chronicle",
        "wizard",
        "",
        "- - crud crud crud - crud",
    ),
    # crm_billing_sepa: SEPA
    row(
        "crm.sepa.mandate",
        "crm_billing_sepa",
        "model",
        "own",
        "- - cru cru crud - -",
        "states change only through their actions (#17)",
    ),
    row("crm.sepa.batch", "crm_billing_sepa", "model", "own", "- - r r crud - -"),
    row("crm.sepa.batch.line", "crm_billing_sepa", "model", "own", "- - r r cru - -"),
    row("crm.sepa.debit.wizard", "crm_billing_sepa", "wizard", "", "- - - - crud - crud"),
    row("crm.sepa.debit.wizard.error", "crm_billing_sepa", "wizard", "", "- - - - crud - crud"),
    row("crm.sepa.return.wizard", "crm_billing_sepa", "wizard", "", "- - - - crud - crud"),
    row("crm.sepa.camt.import", "crm_billing_sepa", "wizard", "", "- - - - crud - crud"),
    # crm_billing_sepa: billing
    row("crm.service", "crm_billing_sepa", "model", "own", "- - crud crud crud - -"),
    row("crm.dunning.level", "crm_billing_sepa", "model", "own", "- - r crud crud - -"),
    row("crm.dunning.run", "crm_billing_sepa", "model", "own", "- - r r crud - -"),
    row("crm.dunning.letter", "crm_billing_sepa", "model", "own", "- - r r crud - -"),
    row("crm.dunning.letter.line", "crm_billing_sepa", "model", "own", "- - r r crud - -"),
    row(
        "crm.service.invoice.wizard",
        "crm_billing_sepa",
        "wizard",
        "",
        "- - - - crud - crud",
        "invoicing needs the Billing group (SEPA managers have it)",
    ),
    row("crm.credit.note.wizard", "crm_billing_sepa", "wizard", "", "- - - - crud - crud"),
    row(
        "crm.credit.note.wizard.line",
        "crm_billing_sepa",
        "wizard",
        "",
        "- - - - crud - crud",
    ),
    # crm_billing_sepa: accounting exports
    row(
        "crm.datev.export",
        "crm_billing_sepa",
        "model",
        "own",
        "- - - - - - -",
        "accountants only (Odoo's full accounting features or accounting administrators); "
        "an exported period is kept",
    ),
    row(
        "crm.pohoda.export",
        "crm_billing_sepa",
        "model",
        "own",
        "- - - - - - -",
        "accountants only (Odoo's full accounting features or accounting administrators)",
    ),
    # crm_routing
    row(
        "crm.route",
        "crm_routing",
        "model",
        "own",
        "- - crud crud crud - -",
        "users their own, managers all",
    ),
    row(
        "crm.route.stop",
        "crm_routing",
        "model",
        "own",
        "- - crud crud crud - -",
        "on the user's own routes, managers all",
    ),
    row(
        "crm.mileage.log",
        "crm_routing",
        "model",
        "own",
        "- - cr crud cr - -",
        "users their own trips, managers all",
    ),
    row(
        "crm.geocode.cache",
        "crm_routing",
        "model",
        "",
        "- - - crud - - crud",
        "looked up addresses of every company: managers only",
    ),
    row("crm.route.plan", "crm_routing", "wizard", "", "- - crud crud crud - crud"),
    row("crm.route.visit", "crm_routing", "wizard", "", "- - crud crud crud - crud"),
    # crm_telephony
    row("crm.telephony.box", "crm_telephony", "model", "own", "- - r crud r - -"),
    row("crm.telephony.line", "crm_telephony", "model", "own", "- - r crud r - -"),
    row(
        "crm.phone.call",
        "crm_telephony",
        "model",
        "own",
        "- - ru rud ru - -",
        "calls are logged by the call monitor, nobody creates one by hand; states change "
        "only through their actions",
    ),
    row("crm.telephony.phonebook.entry", "crm_telephony", "model", "own", "- - r crud r - -"),
    # crm_scan
    row(
        "crm.scan.document",
        "crm_scan",
        "model",
        "own",
        "- - cru crud cru - -",
        "states change only through their actions (#17)",
    ),
    row("crm.scan.suggestion", "crm_scan", "model", "own", "- - r crud r - -"),
    row("crm.scan.document.type", "crm_scan", "model", "", "- - r crud r - crud"),
    row("crm.scan.upload", "crm_scan", "wizard", "", "- - crud crud crud - crud"),
    # Odoo's models whose access the suite decides
    row(
        "res.partner.bank",
        "crm_core",
        "odoo",
        "shared",
        "- r crud crud crud r -",
        "bank data is personal: the full account number only for CRM managers, SEPA "
        "managers and billing; the others see it masked (FIELDS below, #17)",
    ),
    row(
        "calendar.event",
        "crm_chronicle",
        "odoo",
        "",
        "r crud crud crud crud crud crud",
        "private chronicle appointments cannot be found by their subject (#17)",
    ),
    row(
        "account.move",
        "crm_billing_sepa",
        "odoo",
        "own",
        "r - - - crud crud -",
        "the SEPA manager collects, books and returns invoices: its group carries what that "
        "needs (#17); portal users their own invoices",
    ),
]

# (model, role) -> (what the role must not see, domain of those records)
LIMITS = {
    ("crm.chronicle.entry", "crm_user"): (
        "private entries of other users",
        [("private", "=", True), ("user_id", "!=", "$uid"), ("create_uid", "!=", "$uid")],
    ),
    ("crm.chronicle.entry", "sepa_manager"): (
        "private entries of other users",
        [("private", "=", True), ("user_id", "!=", "$uid"), ("create_uid", "!=", "$uid")],
    ),
    ("crm.chronicle.resubmission", "crm_user"): (
        "resubmissions of private entries of other users",
        [("private", "=", True), ("user_id", "!=", "$uid"), ("entry_user_id", "!=", "$uid")],
    ),
    ("crm.chronicle.resubmission", "sepa_manager"): (
        "resubmissions of private entries of other users",
        [("private", "=", True), ("user_id", "!=", "$uid"), ("entry_user_id", "!=", "$uid")],
    ),
    ("crm.chronicle.correspondence", "crm_user"): (
        "invoices and bills (no accounting rights), routes and visits of other users",
        [
            "|",
            ("kind", "=", "invoice"),
            "&",
            ("kind", "in", ["route", "visit"]),
            ("user_id", "!=", "$uid"),
        ],
    ),
    ("crm.chronicle.correspondence", "sepa_manager"): (
        "routes and visits of other users",
        [("kind", "in", ["route", "visit"]), ("user_id", "!=", "$uid")],
    ),
    ("crm.chronicle.correspondence", "crm_manager"): (
        "invoices and bills (no accounting rights)",
        [("kind", "=", "invoice")],
    ),
    ("crm.route", "crm_user"): ("routes of other users", [("user_id", "!=", "$uid")]),
    ("crm.route", "sepa_manager"): ("routes of other users", [("user_id", "!=", "$uid")]),
    ("crm.route.stop", "crm_user"): (
        "stops on routes of other users",
        [("route_id.user_id", "!=", "$uid")],
    ),
    ("crm.route.stop", "sepa_manager"): (
        "stops on routes of other users",
        [("route_id.user_id", "!=", "$uid")],
    ),
    ("crm.mileage.log", "crm_user"): ("trips of other users", [("user_id", "!=", "$uid")]),
    ("crm.mileage.log", "sepa_manager"): ("trips of other users", [("user_id", "!=", "$uid")]),
    ("account.move", "portal"): (
        "invoices of other customers",
        [("partner_id.user_ids", "not in", ["$uid"])],
    ),
}
for _role in ("portal", "internal", "crm_user", "sepa_manager", "billing", "company2"):
    LIMITS[("calendar.event", _role)] = (
        "private appointments of other users, searched by their subject",
        [("name", "ilike", "$secret")],
    )

# What the second company's user must not see of the first company, where the company field
# alone does not say it (default: [("company_id", "=", "$c1")]).
COMPANY2_HIDDEN = {
    "crm.chronicle.correspondence": [("partner_id", "=", "$customer")],
    "res.partner.bank": [("partner_id", "=", "$customer")],
}

# Fields whose full value only some roles see: (model, field, roles that see it in full,
# what the others get). The test reads the first company's customer's record.
FIELDS = [
    (
        "res.partner.bank",
        "acc_number",
        {"sepa_manager", "billing"},
        "a masked number (or no field): complete numbers for crm_core's group Complete Bank "
        "Account Numbers, which Billing and SEPA Manager imply (CRM managers see them masked)",
    ),
]

# Reports: report name -> (model, roles that may print it). A role may print when the
# report renders for a record it may read; the others either may read no such record or
# are not offered the report (its groups).
REPORTS = {
    "crm_core.report_contact_sheet": (
        "res.partner",
        {"crm_user", "crm_manager", "sepa_manager", "billing"},
    ),
    "crm_core.report_contact_sheet_full_iban": ("res.partner", {"sepa_manager", "billing"}),
    "crm_core.report_phone_list": ("res.partner", {"crm_user", "crm_manager", "sepa_manager"}),
    "crm_core.report_address_list": (
        "res.partner",
        {"crm_user", "crm_manager", "sepa_manager"},
    ),
    "crm_core.report_birthday_list": (
        "res.partner",
        {"crm_user", "crm_manager", "sepa_manager"},
    ),
    "crm_chronicle.report_chronicle": (
        "res.partner",
        {"crm_user", "crm_manager", "sepa_manager"},
    ),
    "crm_billing_sepa.report_mandate": (
        "crm.sepa.mandate",
        {"crm_user", "crm_manager", "sepa_manager"},
    ),
    "crm_billing_sepa.report_dunning_letter": (
        "crm.dunning.letter",
        {"crm_user", "crm_manager", "sepa_manager"},
    ),
    "crm_routing.crm_route_sheet": ("crm.route", {"crm_user", "crm_manager", "sepa_manager"}),
    "crm_routing.crm_mileage_logbook": (
        "crm.mileage.log",
        {"crm_user", "crm_manager", "sepa_manager"},
    ),
}
