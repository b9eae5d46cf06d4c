"""res.partner: typed addresses - kinds of other addresses, one default address per type
that Odoo's documents use, and addresses on posted documents kept."""

from odoo import api, fields, models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    _inherit = "res.partner"

    crm_address_type_id = fields.Many2one(
        "crm.address.type",
        "Address Kind",
        index="btree_not_null",
        help="Refines the type 'Other Address': branch, private, site ...",
    )
    crm_is_default_address = fields.Boolean(
        "Default Address",
        copy=False,
        help="The address of its type that documents use for this customer (one per type).",
    )

    @api.onchange("type")
    def _onchange_type_crm_address_kind(self):
        if self.type != "other":
            self.crm_address_type_id = False

    def _crm_address_key(self):
        return (self.parent_id.id, self.type, self.crm_address_type_id.id)

    def _crm_unset_other_default_addresses(self):
        """A new default address of a type replaces the previous default of that type."""
        defaults = self.filtered(lambda p: p.crm_is_default_address and p.parent_id)
        if not defaults:
            return
        siblings = self.search(
            [
                ("parent_id", "in", defaults.parent_id.ids),
                ("crm_is_default_address", "=", True),
                ("id", "not in", defaults.ids),
            ]
        )
        keys = {p._crm_address_key() for p in defaults}
        previous = siblings.filtered(lambda p: p._crm_address_key() in keys)
        if previous:
            previous.write({"crm_is_default_address": False})

    def address_get(self, adr_pref=None):
        """Odoo's documents take the default address of each type when the partner is not
        itself an address of that type."""
        if len(self) != 1:
            return super().address_get(adr_pref)
        return self._crm_address_get_multi(adr_pref)[self.id]

    def _crm_address_get_multi(self, adr_pref=None):
        """{partner id: address_get(adr_pref)} of each of these partners, the default
        addresses of all of them read in one query (invoicing thousands of customers)."""
        results = {partner.id: super(ResPartner, partner).address_get(adr_pref) for partner in self}
        types = {kind for result in results.values() for kind in result} - {"contact"}
        commercials = self.commercial_partner_id
        if not types or not commercials:
            return results
        defaults = {}
        for address in self.search_fetch(
            [
                ("parent_id", "in", commercials.ids),
                ("crm_is_default_address", "=", True),
                ("type", "in", list(types)),
            ],
            ["type", "parent_id"],
            order="id",
        ):
            defaults.setdefault(address.parent_id.id, {})[address.type] = address.id
        for partner in self:
            found = defaults.get(partner.commercial_partner_id.id, {})
            result = results[partner.id]
            for kind in set(result) - {"contact", partner.type}:
                if kind in found:
                    result[kind] = found[kind]
        return results

    @api.ondelete(at_uninstall=False)
    def _unlink_except_crm_address_on_posted_document(self):
        """An address on a posted invoice must stay: archive it instead."""
        moves = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("state", "=", "posted"),
                    "|",
                    ("partner_id", "in", self.ids),
                    ("partner_shipping_id", "in", self.ids),
                ],
                limit=1,
            )
        )
        if moves:
            address = (moves.partner_id | moves.partner_shipping_id) & self
            raise UserError(
                self.env._(
                    "%(address)s cannot be deleted: the posted document %(document)s uses it. "
                    "Archive it instead.",
                    address=address[:1].display_name,
                    document=moves.display_name,
                )
            )
