"""crm_core up to 19.0.1.0.0 made its demo data with a model (crm.core.demo) and gave
external ids only to its 30 companies. From 19.0.1.0.1 the demo data are data files, in
which the contact persons, addresses, bank accounts and invoices have external ids too. A
database with the old demo data gets those ids for the records the old loader made, so that
the update finds them instead of creating them a second time.

19.0.1.0.1 also gives the class fields of a partner to CRM users only (groups). The customer
form's class part as 19.0.1.0.0 stored it shows "(by hand)" to everybody: until the update
loads the new view, every view loaded before it that Odoo checks together with it would log
an access rights inconsistency. The stored view gets the group on that part first."""

import json
import re

from lxml import etree

from odoo.tools.misc import file_open

CHILD = re.compile(r"^(res_partner_demo_\d\d)_(contact_(\d+)|invoice|delivery)$")
BANK = re.compile(r"^res_partner_bank_demo_(\d\d)$")
MOVE = re.compile(r"^account_move_demo_(\d\d)_(\d)$")


def _xmlids(path):
    with file_open(path, "rb") as file:
        tree = etree.parse(file)
    return [record.get("id") for record in tree.iter("record")]


def _res_id(cr, name):
    cr.execute("SELECT res_id FROM ir_model_data WHERE module = 'crm_core' AND name = %s", [name])
    row = cr.fetchone()
    return row and row[0]


def _class_part_for_crm_users(cr):
    """The old customer form's class part (the div named crm_class) shown to CRM users
    only, as the new view shows it, in every language of the stored arch."""
    view_id = _res_id(cr, "res_partner_view_form_classification")
    if not view_id:
        return
    cr.execute("SELECT arch_db FROM ir_ui_view WHERE id = %s", [view_id])
    row = cr.fetchone()
    if not row or not row[0]:
        return
    changed = False
    arch = dict(row[0])
    for lang, text in arch.items():
        root = etree.fromstring(text)
        for div in root.iter("div"):
            if div.get("name") == "crm_class" and not div.get("groups"):
                div.set("groups", "crm_core.group_user")
                changed = True
        arch[lang] = etree.tostring(root, encoding="unicode")
    if changed:
        cr.execute(
            "UPDATE ir_ui_view SET arch_db = %s::jsonb WHERE id = %s", [json.dumps(arch), view_id]
        )


def migrate(cr, version):
    _class_part_for_crm_users(cr)
    if not _res_id(cr, "res_partner_demo_01") or _res_id(cr, "res_partner_demo_01_invoice"):
        return  # no demo data, or already the data files' ids
    found = {}
    for name in _xmlids("crm_core/demo/res_partner_demo.xml"):
        if match := CHILD.match(name):
            company = _res_id(cr, match.group(1))
            kind = "contact" if match.group(3) else match.group(2)
            cr.execute(
                "SELECT id FROM res_partner WHERE parent_id = %s AND type = %s ORDER BY id",
                [company, kind],
            )
            ids = [row[0] for row in cr.fetchall()]
            position = int(match.group(3) or 1) - 1
            if position < len(ids):
                found[name] = ("res.partner", ids[position])
        elif match := BANK.match(name):
            company = _res_id(cr, f"res_partner_demo_{match.group(1)}")
            cr.execute(
                "SELECT id FROM res_partner_bank WHERE partner_id = %s ORDER BY id LIMIT 1",
                [company],
            )
            if row := cr.fetchone():
                found[name] = ("res.partner.bank", row[0])
    first_customer = None
    for name in _xmlids("crm_core/demo/account_move_demo.xml"):
        if match := MOVE.match(name):
            company = _res_id(cr, f"res_partner_demo_{match.group(1)}")
            first_customer = first_customer or company
            cr.execute(
                "SELECT id FROM account_move WHERE partner_id = %s AND move_type = 'out_invoice'"
                " ORDER BY id LIMIT 3",
                [company],
            )
            ids = [row[0] for row in cr.fetchall()]
            position = int(match.group(2)) - 1
            if position < len(ids):
                found[name] = ("account.move", ids[position])
        elif name == "account_move_demo_refund" and first_customer:
            cr.execute(
                "SELECT id FROM account_move WHERE partner_id = %s AND move_type = 'out_refund'"
                " ORDER BY id LIMIT 1",
                [first_customer],
            )
            if row := cr.fetchone():
                found[name] = ("account.move", row[0])
    for name, (model, res_id) in found.items():
        cr.execute(
            "INSERT INTO ir_model_data (module, name, model, res_id, noupdate)"
            " VALUES ('crm_core', %s, %s, %s, TRUE) ON CONFLICT DO NOTHING",
            [name, model, res_id],
        )
