"""The acceptance tour of issue 24: from a customer, start a quotation, confirm it,
deliver, invoice (in Chromium), then dun; the customer record then holds each document.
Needs Inventory's sale_stock and crm_billing_sepa, which the install matrix's database of
`make test` installs."""

import datetime

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestSaleRecordTour(HttpCase):
    def test_quotation_to_dunning_from_the_record(self):
        env = self.env
        if "stock.picking" not in env or "crm.dunning.run" not in env:
            self.skipTest("needs sale_stock and crm_billing_sepa (the install matrix has both)")
        env["product.product"].create(
            {"name": "Tour Ware", "type": "consu", "list_price": 100.0, "sale_ok": True}
        )
        customer = env["res.partner"].create({"name": "Tour Verkauf GmbH", "is_company": True})
        if not env["crm.dunning.level"].search([]):
            env["crm.dunning.level"].create({"name": "Zahlungserinnerung", "days": 1})
        self.start_tour(f"/odoo/contacts/{customer.id}", "crm_sale_record_tour", login="admin")

        order = env["sale.order"].search([("partner_id", "=", customer.id)])
        self.assertEqual(order.state, "sale")
        delivery = order.picking_ids
        self.assertEqual(delivery.state, "done")
        invoice = order.invoice_ids
        self.assertEqual(invoice.state, "posted")
        # dun: a month later the invoice is overdue
        later = (invoice.invoice_date_due or datetime.date.today()) + datetime.timedelta(days=30)
        result = env["crm.dunning.run"].run_dunning(date=later, fee_mode="none")
        letter = (
            env["crm.dunning.letter"]
            .browse(result["letter_ids"])
            .filtered(lambda le: le.partner_id == customer)
        )
        self.assertEqual(len(letter), 1)
        self.assertIn(invoice, letter.line_ids.move_id)

        # the correspondence lists each document of the flow, newest first, in the order
        # they happened (order, delivery and invoice of the same minutes: the invoice bears
        # a date only), the dunning letter as its own row (not the chronicle entry that
        # logs it), as the administrator who ran the tour reads it
        admin = env.ref("base.user_admin")
        rows = (
            env["crm.chronicle.correspondence"]
            .with_user(admin)
            .search([("partner_id", "=", customer.id)])
        )
        by_document = {(row.res_model, row.res_id): row for row in rows}
        entry = env["crm.chronicle.entry"].search(
            [("source_model", "=", "crm.dunning.letter"), ("source_id", "=", letter.id)]
        )
        self.assertTrue(entry, "the dunning letter is logged in the chronicle")
        self.assertNotIn(("crm.chronicle.entry", entry.id), by_document)
        flow = [
            by_document.get(("sale.order", order.id)),
            by_document.get(("stock.picking", delivery.id)),
            by_document.get(("account.move", invoice.id)),
            by_document.get(("crm.dunning.letter", letter.id)),
        ]
        self.assertTrue(all(flow), f"missing in the correspondence: {flow}")
        self.assertEqual(
            [row.kind for row in flow], ["sale_order", "stock_delivery", "invoice", "dunning"]
        )
        positions = [list(rows).index(row) for row in flow]
        self.assertEqual(
            positions,
            sorted(positions, reverse=True),
            "newest first: dunning letter, invoice, delivery, order "
            + str([(row.kind, str(row.date)) for row in rows]),
        )
        self.assertEqual(rows[0], flow[3], "the dunning letter is the newest document")
        self.assertEqual(
            env["crm.chronicle.correspondence"]
            .with_user(admin)
            .search([("partner_id", "=", customer.id), ("kind", "=", "dunning")]),
            flow[3],
            "the list's filter Dunning Letters finds it",
        )

        # and so does the list in the browser, with its filter of the letters
        self.start_tour(
            "/odoo/action-crm_chronicle.crm_chronicle_correspondence_action",
            "crm_sale_correspondence_tour",
            login="admin",
        )

        customer.invalidate_recordset()
        self.assertEqual(customer.crm_quotation_count, 0)
        self.assertEqual(customer.crm_sale_order_count, 1)
        self.assertEqual(customer.crm_delivery_count, 1)
        self.assertEqual(customer.crm_invoice_count, 1)
