from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.crm_core.tools import uninstall


class CrmChronicleType(models.Model):
    """A kind of chronicle entry: call, visit, letter, e-mail, meeting, note, ...

    Feature addons add their own types by data XML; they find them again by `code`."""

    _name = "crm.chronicle.type"
    _description = "Chronicle Entry Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Technical key used by other addons and integrations to log entries of this "
        "type (e.g. 'call'). Unique.",
    )
    icon = fields.Char(default="fa-comment", help="Font Awesome icon class, e.g. fa-phone.")
    color = fields.Integer()
    resubmission_delay = fields.Integer(
        "Default Resubmission Delay",
        help="Days after the entry's date at which it comes back by default (0: no default "
        "resubmission).",
    )
    is_appointment = fields.Boolean(
        "Appointment",
        help="Entries of this type are appointments: they create and keep in sync a "
        "calendar event with the contact persons as attendees.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _unique_code = models.Constraint("UNIQUE(code)", "The code of a chronicle type must be unique.")

    @api.model_create_multi
    def create(self, vals_list):
        self._check_code_free([vals.get("code") for vals in vals_list])
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("code"):
            self._check_code_free([vals["code"]] * len(self), exclude=self)
        return super().write(vals)

    def _check_code_free(self, codes, exclude=None):
        """Name the type that holds a code already, before the SQL constraint speaks."""
        codes = [code for code in codes if code]
        if len(set(codes)) < len(codes) and exclude is None:
            raise ValidationError(
                self.env._("Chronicle type codes must be unique: %(codes)s", codes=codes)
            )
        domain = [("code", "in", codes)]
        if exclude:
            domain.append(("id", "not in", exclude.ids))
        other = self.sudo().with_context(active_test=False).search(domain, limit=1)
        if other:
            raise ValidationError(
                self.env._(
                    "The chronicle type code %(code)r is already used by %(other)s.",
                    code=other.code,
                    other=other.name,
                )
            )

    @api.constrains("code")
    def _check_code(self):
        for chronicle_type in self:
            code = chronicle_type.code or ""
            if not code.strip() or code != code.strip() or " " in code:
                raise ValidationError(
                    self.env._(
                        "Chronicle type %(type)s: the code %(code)r must be one word "
                        "without spaces.",
                        type=chronicle_type.name,
                        code=code,
                    )
                )

    @api.constrains("resubmission_delay")
    def _check_resubmission_delay(self):
        for chronicle_type in self:
            if chronicle_type.resubmission_delay < 0:
                raise ValidationError(
                    self.env._(
                        "Chronicle type %(type)s: the default resubmission delay cannot be "
                        "negative.",
                        type=chronicle_type.name,
                    )
                )

    @api.model
    def _get_by_code(self, code):
        """The type with this code (archived ones included), or a clear error."""
        chronicle_type = self.with_context(active_test=False).search([("code", "=", code)], limit=1)
        if not chronicle_type:
            raise ValidationError(
                self.env._("There is no chronicle entry type with the code %(code)r.", code=code)
            )
        return chronicle_type

    # ------------------------------------------------------------------------------------------
    # Addons that ship types: their uninstall keeps the types that logged entries still use
    # ------------------------------------------------------------------------------------------
    @api.model
    def _crm_release_used_types(self, module):
        """For the uninstall_hook of an addon that ships chronicle types: its logged entries
        stay in the chronicle (history), and so do their types. Release those types from the
        addon, so that Odoo's uninstall keeps them instead of trying to delete them."""
        self.env.flush_all()
        kept = uninstall.release_referenced(self.env.cr, module, self._name, self._table)
        self.env["ir.model.data"].invalidate_model()
        self.env.registry.clear_cache()
        return self.browse(sorted(kept))

    @api.model
    def _crm_adopt_kept_types(self, module, codes):
        """For the pre_init_hook of an addon that ships chronicle types: when it is installed
        again, the types that its uninstall kept become its own again (its data files then
        update them) instead of clashing with them. `codes`: {xmlid name: code}."""
        Data = self.env["ir.model.data"]
        types = self.with_context(active_test=False)
        for name, code in codes.items():
            xml_id = f"{module}.{name}"
            kept = types.search([("code", "=", code)], limit=1)
            if kept and not self.env.ref(xml_id, raise_if_not_found=False):
                Data._update_xmlids([{"xml_id": xml_id, "record": kept, "noupdate": True}])
