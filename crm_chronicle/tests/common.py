import ast

from odoo.tools import SQL

from odoo.addons.base.tests.common import BaseCommon, new_test_user


def raw_entry_rows(env, partners):
    """The rows of crm_chronicle_entry about `partners` as the database holds them (every
    column, in the partners' order, then by id), for comparing the fast path with the ORM."""
    env.flush_all()
    rows = env.execute_query_dict(
        SQL(
            "SELECT * FROM crm_chronicle_entry WHERE partner_id = ANY(%s)"
            " ORDER BY array_position(%s, partner_id), id",
            partners.ids,
            partners.ids,
        )
    )
    for row in rows:
        row.pop("id")
    return rows


class ChronicleCommon(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Entry = cls.env["crm.chronicle.entry"]
        cls.user = new_test_user(
            cls.env, login="chron_user", groups="crm_core.group_user", tz="Europe/Berlin"
        )
        cls.user2 = new_test_user(
            cls.env, login="chron_user2", groups="crm_core.group_user", tz="Europe/Prague"
        )
        cls.manager = new_test_user(
            cls.env, login="chron_mgr", groups="crm_core.group_manager", tz="Europe/Berlin"
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Chronik Kunde GmbH", "is_company": True}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Erika Kontakt", "parent_id": cls.customer.id}
        )
        cls.contact2 = cls.env["res.partner"].create(
            {"name": "Max Kontakt", "parent_id": cls.customer.id}
        )


def check_kind_filters(case, env):
    """The correspondence's search view has one filter per kind of row of the installed
    addons (crm_chronicle's kinds and each contributing addon's, added by view
    inheritance), each finding that kind only, and its group-bys."""
    from lxml import etree  # noqa: PLC0415

    Correspondence = env["crm.chronicle.correspondence"]
    arch = Correspondence.get_views([(False, "search")])["views"]["search"]["arch"]
    filters = {}
    group_bys = set()
    for node in etree.fromstring(arch).iter("filter"):
        if node.get("context") and "group_by" in node.get("context"):
            group_bys.add(node.get("name"))
            continue
        domain = node.get("domain") or ""
        if "'kind'" in domain:
            [(field, operator, kind)] = ast.literal_eval(domain)
            case.assertEqual((field, operator), ("kind", "="), domain)
            case.assertNotIn(kind, filters, f"two filters for the kind {kind}")
            filters[kind] = node.get("name")
    kinds = set(Correspondence._fields["kind"].get_values(env))
    case.assertEqual(set(filters), kinds, "a filter for each kind of row, none for another")
    case.assertLessEqual({"group_kind", "group_partner", "group_user", "group_month"}, group_bys)
    # the group-bys work on the view (as the user: the access condition applies)
    for groupby in ("kind", "partner_id", "user_id", "company_id", "date:month", "date:year"):
        Correspondence._read_group([], [groupby], ["__count"])
    return filters
