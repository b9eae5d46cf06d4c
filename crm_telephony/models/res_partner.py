import phonenumbers

from odoo import api, fields, models

from odoo.addons.crm_core.tools.boundary import ArgumentError, Str, one_record, public
from odoo.addons.crm_core.tools.cockpit import CockpitButton, CockpitGroup

# the cockpit button "Calls": the calls of the customer and its contacts
CALLS = CockpitButton("crm.phone.call", "commercial_partner_id")


class ResPartner(models.Model):
    _inherit = "res.partner"

    crm_phone_mobile = fields.Char("Mobile", help="A second number (mobile) of the partner.")
    crm_phonebook_push = fields.Boolean(
        "In Fritz!Box Phonebook",
        help="Push this contact to the phonebook of the company's Fritz!Box so desk phones "
        "show the name.",
    )
    crm_phone_call_ids = fields.One2many("crm.phone.call", "partner_id", string="Phone Calls")
    crm_phone_call_count = fields.Integer("Calls", compute="_compute_crm_cockpit")

    def _crm_cockpit_groups(self):
        """The calls of the customer and its contacts: crm_core's cockpit, the same
        partner path as the list the button opens."""
        return {**super()._crm_cockpit_groups(), "crm_telephony.calls": CockpitGroup(CALLS)}

    def _crm_cockpit_assign(self, groups):
        super()._crm_cockpit_assign(groups)
        calls = groups["crm_telephony.calls"]
        for partner in self:
            key = (partner.commercial_partner_id._origin.id,)
            partner.crm_phone_call_count = calls.get(key, [0])[0]

    @api.model
    def _phone_get_number_fields(self):
        """Odoo's own phone features (phone_mobile_search, SMS, blacklist) see the mobile too."""
        return [*super()._phone_get_number_fields(), "crm_phone_mobile"]

    @public()
    @one_record
    def action_crm_phone_calls(self):
        """The calls the cockpit button counts."""
        self.ensure_one()
        return self._crm_cockpit_action(
            "crm.phone.call",
            "commercial_partner_id",
            action="crm_telephony.crm_phone_call_action",
        )

    # ------------------------------------------------------------------------------------------
    # Caller identification (public: JSON-2 / XML-RPC for other PBX integrations)
    # ------------------------------------------------------------------------------------------
    @api.model
    @public(number=Str(max_len=64), region=Str(max_len=2, required=False))
    def lookup_caller(self, number, region=None):
        """Who is calling? `number` in any format ('+49 351 4445566', '0351/4445566'); numbers
        without country code are read in `region` (ISO code), default the current company's
        country. Returns False or a dict: partner_id, name, display data (company, phone,
        email, city, class, open items, latest chronicle entries) and `candidates` (all
        matching partner ids the caller may read, best first)."""
        if region and region.upper() not in phonenumbers.SUPPORTED_REGIONS:
            raise ArgumentError(
                self.env._(
                    "res.partner.lookup_caller: the argument region must be a country code "
                    "such as 'DE' or 'CZ', not '%(region)s'.",
                    region=region,
                )
            )
        region = (region or self.env.company.country_id.code or "DE").upper()
        ids = self.env["crm.partner.identifier"].sudo()._lookup_phone(number, region)
        partners = self.browse(ids)._filtered_access("read")
        if not partners:
            return False
        # prefer a contact person over the company when both carry the number
        partner = partners.sorted(lambda p: (p.is_company, ids.index(p.id)))[0]
        data = partner._crm_caller_display_data()
        data["candidates"] = partners.ids
        return data

    def _crm_caller_display_data(self):
        """What the incoming-call notification shows about this partner."""
        self.ensure_one()
        commercial = self.commercial_partner_id
        data = {
            "partner_id": self.id,
            "name": self.name or "",
            "display_name": self.display_name,
            "company_id": commercial.id if commercial != self else False,
            "company_name": commercial.name
            if commercial != self
            else (self.is_company and self.name or ""),
            "function": self.function or "",
            "phone": self.phone or "",
            "email": self.email or "",
            "city": self.city or commercial.city or "",
            "class": False,
            "open_items": [],
            "chronicle": [],
        }
        # the customer's priority class in the company (crm_core, company dependent; a field
        # for CRM users only)
        if commercial._has_field_access(commercial._fields["crm_class_id"], "read"):
            crm_class = commercial.crm_class_id
            if crm_class and crm_class.has_access("read"):
                data["class"] = crm_class.display_name
        data["open_items"] = self._crm_caller_open_items(commercial)
        data["chronicle"] = self._crm_caller_chronicle(commercial)
        return data

    def _crm_caller_open_items(self, commercial):
        items = []
        Activity = self.env["mail.activity"]
        if Activity.has_access("read"):
            activities = Activity.search(
                [("res_model", "=", "res.partner"), ("res_id", "in", (self | commercial).ids)],
                limit=3,
                order="date_deadline",
            )
            items += [
                {
                    "kind": "activity",
                    "name": a.summary or a.activity_type_id.name or "",
                    "date": fields.Date.to_string(a.date_deadline),
                }
                for a in activities
            ]
        Move = self.env.get("account.move")
        if Move is not None and Move.has_access("read"):
            moves = Move.search(
                [
                    ("commercial_partner_id", "=", commercial.id),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                ],
                limit=3,
                order="invoice_date_due",
            )
            items += [
                {
                    "kind": "invoice",
                    "name": m.name,
                    "date": fields.Date.to_string(m.invoice_date_due),
                    "amount": m.amount_residual,
                    "currency": m.currency_id.name,
                }
                for m in moves
            ]
        return items

    def _crm_caller_chronicle(self, commercial):
        """The latest chronicle entries of the customer (crm_chronicle), newest first."""
        Entry = self.env["crm.chronicle.entry"]
        if not Entry.has_access("read"):
            return []
        entries = Entry.search(
            [("commercial_partner_id", "=", commercial.id)], limit=3, order="date desc, id desc"
        )
        return [
            {
                "id": e.id,
                "name": e.name,
                "type": e.type_id.name or "",
                "date": fields.Date.to_string(fields.Datetime.context_timestamp(e, e.date)),
            }
            for e in entries
        ]

    def _crm_personal_data(self, files):
        """The calls with the customer and its contacts (GDPR export, crm_core)."""
        data = super()._crm_personal_data(files)
        calls = self._crm_personal_data_search(
            "crm.phone.call", [("commercial_partner_id", "=", self.id)], "id"
        )
        data["crm_telephony.calls"] = self._crm_personal_data_rows(calls)
        return data
