import re
import unicodedata

from lxml import etree
from lxml.builder import E

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

FIELD_TYPES = [
    ("char", "Text"),
    ("text", "Long Text"),
    ("integer", "Whole Number"),
    ("float", "Number"),
    ("date", "Date"),
    ("boolean", "Yes/No"),
    ("selection", "Selection"),
    ("many2one", "Link to a Partner"),
]
VIEW_NAME = "res.partner.crm.custom.fields"


GERMAN = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
)


def slug(text):
    text = (text or "").translate(GERMAN)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


class CrmCustomField(models.Model):
    """A field an administrator adds to the customer or address record without code: it
    becomes a custom field of res.partner (ir.model.fields, state 'manual', so it survives
    module updates) shown in the "More" tab, usable in search filters and exports."""

    _name = "crm.custom.field"
    _description = "User-defined Partner Field"
    _order = "sequence, id"

    name = fields.Char("Label", required=True, translate=True)
    technical_name = fields.Char(readonly=True, copy=False, index=True)
    sequence = fields.Integer(default=10)
    applies_to = fields.Selection(
        [("customer", "Customer Record"), ("address", "Address")],
        required=True,
        default="customer",
        help="Customer record: the company or person itself; address: its delivery, invoice "
        "and other addresses.",
    )
    field_type = fields.Selection(FIELD_TYPES, "Type", required=True, default="char")
    selection_values = fields.Text(
        help="One option per line, for the type Selection.",
    )
    help_text = fields.Char("Tooltip", translate=True)
    field_id = fields.Many2one("ir.model.fields", readonly=True, ondelete="set null", copy=False)
    partner_value_count = fields.Integer(
        "Partners with a Value", compute="_compute_partner_value_count"
    )

    _unique_technical_name = models.Constraint(
        "UNIQUE(technical_name)", "Each user-defined field has its own technical name."
    )

    def _compute_partner_value_count(self):
        Partner = self.env["res.partner"].with_context(active_test=False)
        for record in self:
            name = record.technical_name
            if not name or name not in Partner._fields:
                record.partner_value_count = 0
            elif record.field_type == "boolean":
                record.partner_value_count = Partner.search_count([(name, "=", True)])
            else:
                record.partner_value_count = Partner.search_count([(name, "!=", False)])

    # ------------------------------------------------------------------------------------------
    # Validation
    # ------------------------------------------------------------------------------------------
    def _selection_options(self):
        self.ensure_one()
        labels = [line.strip() for line in (self.selection_values or "").splitlines()]
        return [(slug(label) or str(i), label) for i, label in enumerate(labels, 1) if label]

    @api.constrains("name", "field_type", "selection_values")
    def _check_definition(self):
        for record in self:
            if not slug(record.name):
                raise ValidationError(
                    self.env._(
                        "The label %(label)r of a user-defined field needs letters or digits.",
                        label=record.name,
                    )
                )
            if record.field_type != "selection":
                continue
            options = record._selection_options()
            if not options:
                raise ValidationError(
                    self.env._(
                        "The selection field %(label)s needs at least one option (one per line).",
                        label=record.name,
                    )
                )
            keys = [key for key, _label in options]
            duplicates = sorted({k for k in keys if keys.count(k) > 1})
            if duplicates:
                raise ValidationError(
                    self.env._(
                        "The selection field %(label)s has the option %(option)s twice.",
                        label=record.name,
                        option=duplicates[0],
                    )
                )

    def _check_manager(self):
        if not (self.env.su or self.env.user.has_group("crm_core.group_manager")):
            raise AccessError(self.env._("Only CRM managers manage user-defined fields."))

    # ------------------------------------------------------------------------------------------
    # The ir.model.fields behind, and the generated views
    # ------------------------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._check_manager()
        # (the technical name and the field behind are made by _create_model_field)
        vals_list = [
            {key: value for key, value in vals.items() if key not in ("technical_name", "field_id")}
            for vals in vals_list
        ]
        records = super().create(vals_list)
        for record in records:
            record._create_model_field()
        self._update_views()
        return records

    def write(self, vals):
        self._check_manager()
        if {"technical_name", "field_id"} & set(vals):
            raise UserError(
                self.env._(
                    "The technical name and the field of a user-defined field are set when it "
                    "is created and cannot be changed."
                )
            )
        if {"field_type", "applies_to"} & set(vals) and self.filtered("field_id"):
            raise ValidationError(
                self.env._(
                    "The type of the user-defined field %(label)s cannot change once it "
                    "exists; add a new field instead.",
                    label=self[:1].name,
                )
            )
        result = super().write(vals)
        for record in self.filtered("field_id"):
            record._sync_model_field()
        self._update_views()
        return result

    def unlink(self):
        self._check_manager()
        model_fields = self.field_id
        result = super().unlink()
        self._update_views()
        # an ordinary unlink, not the uninstaller's (context _force_unlink): only this one
        # sets the registry up again, so that the models inheriting res.partner by
        # _inherits (res.users) lose the field too; with the uninstaller's flag res.users
        # kept a field related to a field res.partner no longer had (KeyError on every read
        # of a user)
        model_fields.sudo().unlink()
        return result

    def action_remove(self):
        """Button (asks for confirmation first): remove the field and its values."""
        self.unlink()
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    def _create_model_field(self):
        self.ensure_one()
        base = f"x_crm_{slug(self.name)}"[:55]
        name = base
        existing = set(self.env["res.partner"]._fields)
        counter = 1
        while name in existing:
            counter += 1
            name = f"{base}_{counter}"
        vals = {
            "model_id": self.env["ir.model"]._get_id("res.partner"),
            "name": name,
            "field_description": self.name,
            "ttype": self.field_type,
            "state": "manual",
            "help": self.help_text,
            "copied": False,
        }
        if self.field_type == "many2one":
            vals.update(relation="res.partner", on_delete="set null")
        if self.field_type == "selection":
            vals["selection_ids"] = [
                (0, 0, {"value": key, "name": label, "sequence": i})
                for i, (key, label) in enumerate(self._selection_options())
            ]
        field = self.env["ir.model.fields"].sudo().create(vals)
        super().write({"technical_name": name, "field_id": field.id})

    def _sync_model_field(self):
        self.ensure_one()
        vals = {"field_description": self.name, "help": self.help_text}
        if self.field_type == "selection":
            current = {s.value: s for s in self.field_id.sudo().selection_ids}
            commands = []
            for i, (key, label) in enumerate(self._selection_options()):
                if key in current:
                    commands.append((1, current.pop(key).id, {"name": label, "sequence": i}))
                else:
                    commands.append((0, 0, {"value": key, "name": label, "sequence": i}))
            commands += [(2, s.id) for s in current.values()]
            vals["selection_ids"] = commands
        self.field_id.sudo().write(vals)

    @api.model
    def _update_views(self):
        """(Re)write the inherited form and search views that show the fields."""
        records = self.sudo().search([("field_id", "!=", False)])
        View = self.env["ir.ui.view"].sudo().with_context(active_test=False)
        for kind, parent_xmlid, arch in (
            ("form", "base.view_partner_form", self._form_arch(records)),
            ("search", "base.view_res_partner_filter", self._search_arch(records)),
        ):
            parent = self.env.ref(parent_xmlid)
            name = f"{VIEW_NAME}.{kind}"
            view = View.search([("name", "=", name), ("model", "=", "res.partner")], limit=1)
            arch_db = etree.tostring(arch, encoding="unicode")
            values = {"arch_db": arch_db, "active": bool(records)}
            if view:
                view.write(values)
            else:
                View.create(
                    {
                        "name": name,
                        "model": "res.partner",
                        "inherit_id": parent.id,
                        "mode": "extension",
                        "priority": 99,
                        **values,
                    }
                )

    @api.model
    def _form_arch(self, records):
        def field_node(record, invisible):
            attrs = {"name": record.technical_name, "invisible": invisible}
            if record.field_type == "many2one":
                attrs["options"] = "{'no_create': True}"
            return E.field(**attrs)

        customer = [r for r in records if r.applies_to == "customer"]
        address = [r for r in records if r.applies_to == "address"]
        page = E.page(
            E.group(
                E.group(*[field_node(r, "parent_id and type != 'contact'") for r in customer]),
                E.group(*[field_node(r, "not parent_id or type == 'contact'") for r in address]),
            ),
            name="crm_more",
            string=self.env._("More"),
            invisible="0" if records else "1",
        )
        child_group = E.group(
            *[field_node(r, "type == 'contact'") for r in address], name="crm_more_address"
        )
        return E.data(
            E.xpath(page, expr="//sheet/notebook", position="inside"),
            E.xpath(
                child_group,
                expr="//field[@name='child_ids']/form//group[@name='other_info']",
                position="after",
            ),
        )

    @api.model
    def _search_arch(self, records):
        nodes = []
        filters = []
        for record in records:
            name = record.technical_name
            if record.field_type == "boolean":
                filters.append(
                    E.filter(name=name, string=record.name, domain=f"[('{name}', '=', True)]")
                )
            elif record.field_type == "date":
                filters.append(E.filter(name=name, string=record.name, date=name))
            else:
                nodes.append(E.field(name=name))
            if record.field_type in ("selection", "many2one", "boolean"):
                filters.append(
                    E.filter(
                        name=f"group_{name}",
                        string=record.name,
                        context=f"{{'group_by': '{name}'}}",
                    )
                )
        group_by = [f for f in filters if f.get("name", "").startswith("group_")]
        plain = [f for f in filters if f not in group_by]
        return E.data(
            E.xpath(*nodes, *plain, expr="//search", position="inside"),
            E.xpath(*group_by, expr="//group[@name='group_by']", position="inside"),
        )
