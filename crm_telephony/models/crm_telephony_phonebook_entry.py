import hashlib
import json

from odoo import api, fields, models

from odoo.addons.crm_core.tools import concurrency

from ..tools.fritzbox import FritzBoxError, phonebook_number


class CrmTelephonyPhonebookEntry(models.Model):
    """What was pushed to a box's phonebook for one partner: the box's entry id and a hash of
    the data, so a push writes only what changed and never duplicates an entry."""

    _name = "crm.telephony.phonebook.entry"
    _description = "Fritz!Box Phonebook Entry"
    _order = "box_id, partner_id"

    box_id = fields.Many2one("crm.telephony.box", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="box_id.company_id", store=True)
    partner_id = fields.Many2one("res.partner", ondelete="set null", index=True)
    phonebook_id = fields.Integer(required=True)
    uniqueid = fields.Char("Entry Id on the Box", required=True)
    data_hash = fields.Char()
    pushed = fields.Datetime()

    _unique_partner = models.UniqueIndex("(box_id, partner_id) WHERE partner_id IS NOT NULL")

    @api.model
    def _payload(self, partner):
        """(name, [(kind, number)]) of the partner's entry; only numbers with digits (a
        partner without any gets no entry)."""
        numbers = [
            (kind, phonebook_number(number))
            for kind, number in (("work", partner.phone), ("mobile", partner.crm_phone_mobile))
            if phonebook_number(number)
        ]
        name = partner.name or ""
        if partner.parent_id and not partner.is_company:
            name = f"{partner.name} ({partner.commercial_partner_id.name})"
        return name, numbers

    @api.model
    def _hash(self, phonebook_id, name, numbers):
        text = json.dumps([phonebook_id, name, numbers], ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()

    @api.model
    def _push_box(self, box):
        """Bring the box's phonebook in line with the partners marked for it. Returns the
        number of entries written or deleted on the box (0 when nothing changed). Pushes
        and call-list synchronisations of a box take turns on all servers, so no entry is
        written to the box twice (crm_core/tools/concurrency.py)."""
        concurrency.exclusive(self.env, "crm_telephony.box_sync", box.id)
        concurrency.lock(box)  # its status is written when the box fails
        partners = (
            self.env["res.partner"]
            .sudo()
            .search(
                [
                    ("crm_phonebook_push", "=", True),
                    ("company_id", "in", [box.company_id.id, False]),
                ]
            )
        )
        entries = self.sudo().search([("box_id", "=", box.id)])
        by_partner = {e.partner_id.id: e for e in entries if e.partner_id}
        wanted = {}
        for partner in partners:
            name, numbers = self._payload(partner)
            if numbers:
                wanted[partner.id] = (partner, name, numbers)
        stale = entries.filtered(lambda e: e.partner_id.id not in wanted)
        if not wanted and not stale:
            return 0
        client = box._client()
        written = 0
        try:
            phonebook_id = client.ensure_phonebook(box.phonebook_name or "CRM Suite")
            if box.phonebook_id != phonebook_id:
                box.sudo().phonebook_id = phonebook_id
            for entry in stale:
                client.delete_entry(entry.phonebook_id, entry.uniqueid)
                entry.unlink()
                written += 1
            for partner_id, (_partner, name, numbers) in wanted.items():
                data_hash = self._hash(phonebook_id, name, numbers)
                entry = by_partner.get(partner_id)
                if entry and entry.data_hash == data_hash:
                    continue
                uniqueid = None
                if entry and entry.phonebook_id == phonebook_id:
                    # still on the box? (someone may have deleted it there)
                    if client.get_entry(phonebook_id, entry.uniqueid) is not None:
                        uniqueid = entry.uniqueid
                uid = client.set_entry(phonebook_id, name, numbers, uniqueid)
                vals = {
                    "phonebook_id": phonebook_id,
                    "uniqueid": uid,
                    "data_hash": data_hash,
                    "pushed": fields.Datetime.now(),
                }
                if entry:
                    entry.write(vals)
                else:
                    self.sudo().create(dict(vals, box_id=box.id, partner_id=partner_id))
                written += 1
        except FritzBoxError as error:
            state, text = box._error_text(error)
            box._set_status(state, text)
            raise box._user_error(text, state) from None
        return written
