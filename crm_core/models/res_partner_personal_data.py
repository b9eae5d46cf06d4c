"""res.partner: the GDPR data export of a customer - all the suite holds about a person
(Art. 15 and 20 GDPR) as one file.

One zip archive: `personal_data.json` with every section, and `files/` with the stored
documents (the customer's mail attachments; scan originals of crm_scan). It is built with
the exporting user's rights: what that user may not read stays out (bank account numbers
appear masked unless the user sees complete numbers; the JSON says so).

The hook: `_crm_personal_data(files)` returns {section: JSON-serialisable data}; each addon
extends it in its own addon, adds its sections and, for stored documents, puts
{path in the archive: bytes} into `files`:

    def _crm_personal_data(self, files):
        data = super()._crm_personal_data(files)
        calls = self.env["crm.phone.call"].search([("partner_id", "child_of", self.ids)])
        data["crm_telephony.calls"] = self._crm_personal_data_rows(calls)
        return data

Section keys of other addons start with the addon's name. The export itself is logged in
the customer's event log."""

import io
import json
import zipfile

from odoo import fields, models
from odoo.exceptions import AccessError

from ..tools.boundary import one_record

# fields that are no data about the person (the ORM's own and the chatter's)
_LEFT_OUT = {"id", "display_name", "__last_update", "write_uid", "create_uid"}


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------------------------------
    # The action and the file
    # ------------------------------------------------------------------------------------------
    def _crm_check_personal_data_access(self):
        if not (self.env.su or self.env.user.has_group("crm_core.group_manager")):
            raise AccessError(
                self.env._("Only CRM managers may export the personal data of a customer.")
            )

    @one_record
    def action_crm_export_personal_data(self):
        """Button "Export Personal Data" (CRM managers): downloads the zip archive."""
        self._crm_check_personal_data_access()
        self.check_access("read")
        return {
            "type": "ir.actions.act_url",
            "url": f"/crm_core/personal_data/{self.commercial_partner_id.id}",
            "target": "download",
        }

    def _crm_personal_data_file(self):
        """(file name, zip bytes) of the personal data of this customer (its commercial
        entity); logs the export as an event."""
        self._crm_check_personal_data_access()
        self.ensure_one()
        self.check_access("read")
        customer = self.commercial_partner_id
        files = {}
        data = {
            "format": "crm_core personal data export 1",
            "exported_at": fields.Datetime.to_string(fields.Datetime.now()),
            "exported_by": self.env.user.name,
            "complete_bank_numbers": self.env["res.partner.bank"]._crm_number_visible(),
            **customer._crm_personal_data(files),
        }
        data["files"] = sorted(files)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(
                "personal_data.json",
                json.dumps(data, ensure_ascii=False, indent=1, default=str),
            )
            for path, content in sorted(files.items()):
                archive.writestr(path, content)
        Event = self.env["crm.partner.event"]
        Event._log(
            [
                {
                    **Event._base(customer, customer, "exported"),
                    "new_value": self.env._("%(count)s files", count=len(files)),
                }
            ]
        )
        name = "".join(c if c.isalnum() else "_" for c in customer.name or "customer")[:60]
        return f"personal_data_{customer.id}_{name}.zip", buffer.getvalue()

    # ------------------------------------------------------------------------------------------
    # The hook and its helpers
    # ------------------------------------------------------------------------------------------
    def _crm_personal_data(self, files):
        """{section: data} of everything crm_core holds about this customer (self, one
        commercial entity); addons extend it (see the module's docstring)."""
        self.ensure_one()
        children = self.with_context(active_test=False).search(
            [("id", "child_of", self.id), ("id", "!=", self.id)]
        )
        everyone = self | children
        contacts = children.filtered(lambda p: p.type == "contact")
        custom = self.env["crm.custom.field"].sudo().search([("technical_name", "!=", False)])
        search = self._crm_personal_data_search
        banks = search("res.partner.bank", [("partner_id", "in", everyone.ids)])
        events = search("crm.partner.event", [("partner_id", "=", self.id)], "date, id")
        messages = search(
            "mail.message",
            [("model", "=", "res.partner"), ("res_id", "in", everyone.ids)],
            "date, id",
        )
        attachments = search(
            "ir.attachment", [("res_model", "=", "res.partner"), ("res_id", "in", everyone.ids)]
        )
        for attachment in attachments:
            files[f"files/attachments/{attachment.id}_{attachment.name}"] = attachment.raw or b""
        moves = search(
            "account.move",
            [("commercial_partner_id", "=", self.id), ("move_type", "!=", "entry")],
            "date, id",
        )
        return {
            "partner": self._crm_personal_data_rows(self)[0],
            "contact_persons": self._crm_personal_data_rows(contacts),
            "addresses": self._crm_personal_data_rows(children - contacts),
            "bank_accounts": self._crm_personal_data_rows(banks),
            "definitions": self._crm_personal_data_definitions(),
            "user_defined_fields": {
                record.name: self.env["crm.partner.event"]._text(
                    self,
                    self._fields[record.technical_name],
                    self[record.technical_name],
                )
                for record in custom
                if record.technical_name in self._fields and record.applies_to == "customer"
            },
            "events": [
                {
                    "date": fields.Datetime.to_string(event.date),
                    "user": event.user_id.name or "",
                    "kind": event.kind,
                    "record": event.res_name or "",
                    "field": event.field_label or "",
                    "old_value": values.get("old_value") or "",
                    "new_value": values.get("new_value") or "",
                }
                for event, values in zip(
                    events,
                    events._read_format(["old_value", "new_value"]),
                    strict=True,
                )
            ],
            "messages": [
                {
                    "date": fields.Datetime.to_string(message.date),
                    "author": message.author_id.name or message.email_from or "",
                    "type": message.message_type,
                    "subject": message.subject or "",
                    "body": (message.body and str(message.body)) or "",
                    "attachments": message.attachment_ids.mapped("name"),
                }
                for message in messages
            ],
            "invoices": [
                {
                    "number": move.name,
                    "type": move.move_type,
                    "date": fields.Date.to_string(move.invoice_date or move.date),
                    "amount": move.amount_total,
                    "currency": move.currency_id.name,
                    "state": move.state,
                }
                for move in moves
            ],
        }

    def _crm_personal_data_definitions(self):
        """{company: {field label: value}} of the values each company keeps of its own
        (class, payment terms, currencies ...), for the user's companies (that the customer
        belongs to)."""
        self.ensure_one()
        Event = self.env["crm.partner.event"]
        result = {}
        # a customer of one company has values in that company only; a shared one in each
        companies = self.env.user.company_ids
        if self.company_id:
            companies &= self.env["res.company"].search([("id", "child_of", self.company_id.id)])
        allowed = companies.ids
        for company in companies:
            partner = self.with_context(
                allowed_company_ids=[company.id] + [i for i in allowed if i != company.id]
            )
            values = {}
            for name, field in partner._fields.items():
                if not field.company_dependent or Event._field_hidden(field):
                    continue
                if field.groups and not self.env.user.has_groups(field.groups):
                    continue
                if name in self._crm_event_skip_field_names() - {"crm_class_manual"}:
                    continue
                if partner[name]:
                    label = field._description_string(self.env)
                    values[label] = Event._text(partner, field, partner[name])
            result[company.name] = values
        return result

    def _crm_personal_data_search(self, model, domain, order="id"):
        """The records of `model` matching `domain` that the user may read (none when the
        user may not read the model at all: the section stays empty)."""
        Model = self.env[model].with_context(active_test=False)
        if not Model.has_access("read"):
            return Model
        return Model.search(domain, order=order)

    def _crm_personal_data_rows(self, records, names=None):
        """[{field: readable value}] of `records` (any model): the stored fields the user
        may read (or `names`), values as the event log writes them, binary contents left
        out (stored documents go into `files`)."""
        Event = self.env["crm.partner.event"]
        if names is None:
            names = [
                name
                for name, field in records._fields.items()
                if field.store
                and name not in _LEFT_OUT
                and not name.startswith(("message_", "activity_", "website_message"))
                and field.type not in ("binary", "one2many", "properties_definition")
                and (not field.groups or self.env.user.has_groups(field.groups))
            ]
        rows = []
        shown = (
            records._read_format([n for n in names if n in ("acc_number", "sanitized_acc_number")])
            if records._name == "res.partner.bank"
            else None
        )
        for index, record in enumerate(records):
            row = {"id": record.id}
            for name in names:
                field = records._fields[name]
                row[name] = Event._text(record, field, record[name])
            if shown:
                row.update({k: v for k, v in shown[index].items() if k != "id"})
            rows.append(row)
        return rows
