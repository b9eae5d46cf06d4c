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
