"""res.partner: the cockpit of the customer record - smart buttons with counts, and the
buttons that create documents for the customer. The extension point of the suite: every
addon adds its buttons through the same helpers (readme/CONFIGURE.md, "Adding a cockpit
button")."""

from collections import Counter

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools.boundary import one_record
from ..tools.cockpit import CockpitButton, CockpitGroup

# The customer's invoices and credit notes that are not cancelled (drafts count); grouped by
# type and state for the counts and the open amount.
DOCUMENTS = CockpitButton(
    "account.move",
    "commercial_partner_id",
    (("move_type", "in", ("out_invoice", "out_refund")), ("state", "!=", "cancel")),
)
INVOICES = CockpitButton(
    "account.move",
    "commercial_partner_id",
    DOCUMENTS.domain + (("move_type", "=", "out_invoice"),),
    "account.action_move_out_invoice_type",
)
REFUNDS = CockpitButton(
    "account.move",
    "commercial_partner_id",
    DOCUMENTS.domain + (("move_type", "=", "out_refund"),),
    "account.action_move_out_refund_type",
)
# the projects the customer (or one of its contacts) takes part in
PROJECTS = CockpitButton(
    "project.project", "crm_partner_link_ids.partner_id", action="project.open_view_project_all"
)
# contact persons and addresses (invoice, delivery, other): the children of the customer
CHILDREN = CockpitButton("res.partner", "parent_id")
CONTACTS = CockpitButton("res.partner", "parent_id", (("type", "=", "contact"),))
ADDRESSES = CockpitButton("res.partner", "parent_id", (("type", "!=", "contact"),))
BANK_ACCOUNTS = CockpitButton("res.partner.bank", "partner_id")


class ResPartner(models.Model):
    _inherit = "res.partner"

    crm_invoice_count = fields.Integer("Invoice Count", compute="_compute_crm_cockpit")
    crm_refund_count = fields.Integer("Credit Note Count", compute="_compute_crm_cockpit")
    crm_open_amount = fields.Monetary(
        "Open Amount",
        compute="_compute_crm_cockpit",
        currency_field="crm_company_currency_id",
        help="Open amount of posted customer invoices minus credit notes, company currency.",
    )
    crm_company_currency_id = fields.Many2one(
        "res.currency", compute="_compute_crm_company_currency_id"
    )
    crm_project_count = fields.Integer("Project Count", compute="_compute_crm_project_count")
    crm_contact_count = fields.Integer("Contact Count", compute="_compute_crm_cockpit")
    crm_address_count = fields.Integer("Address Count", compute="_compute_crm_cockpit")
    crm_bank_count = fields.Integer("Bank Account Count", compute="_compute_crm_cockpit")

    # ------------------------------------------------------------------------------------------
    # Counting and listing the records of a button (the helpers of every addon)
    # ------------------------------------------------------------------------------------------
    @api.model
    def _crm_cockpit_button(self, button, partner_field=None, domain=None, action=None):
        """`button` itself, or the CockpitButton of the arguments (model, partner field,
        domain, action) that the helpers took before CockpitButton existed."""
        if isinstance(button, CockpitButton):
            return button
        return CockpitButton(
            button, partner_field or "partner_id", tuple(domain or ()), action or ""
        )

    def _crm_cockpit_ids(self):
        """The ids of the commercial entities of self (new records have nothing to count)."""
        return [i for i in self.commercial_partner_id._origin.ids if isinstance(i, int)]

    def _crm_cockpit_read_group(
        self, button, partner_field=None, domain=None, groupby=(), aggregates=("__count",)
    ):
        """One grouped query over the records of `button` (a CockpitButton) for the
        commercial entities of `self`.

        Returns {(commercial_partner_id, *groupby values): [aggregate values]}. Records whose
        partner field is the company or any of its contacts count for the company. Returns
        {} when the user may not read the model, so a cockpit never fails for lack of
        access. The partner field must lead to the partner through many2one fields
        (`_crm_cockpit_count` counts along any path)."""
        button = self._crm_cockpit_button(button, partner_field, domain)
        Model = self.env[button.model]
        ids = self._crm_cockpit_ids()
        if not ids or not self._crm_cockpit_readable(button):
            return {}
        path = button.partner_path
        rows = Model._read_group(
            Domain(path, "in", ids) & Domain(list(button.domain)),
            [path, *groupby],
            list(aggregates),
        )
        size = 1 + len(groupby)
        return {
            tuple(v.id if isinstance(v, models.BaseModel) else v for v in row[:size]): list(
                row[size:]
            )
            for row in rows
        }

    def _crm_cockpit_count(self, button, partner_field=None, domain=None):
        """{commercial_partner_id: number of records of `button`} with a constant number
        of queries: one grouped query when the partner field leads to the partner through
        many2one fields, else one search and the reads of the path (a record taking part
        for several customers counts for each)."""
        button = self._crm_cockpit_button(button, partner_field, domain)
        Model = self.env[button.model]
        if self._crm_cockpit_groupable(button):
            groups = self._crm_cockpit_read_group(button)
            return {key[0]: values[0] for key, values in groups.items()}
        ids = self._crm_cockpit_ids()
        if not ids or not self._crm_cockpit_readable(button):
            return {}
        records = Model.search(Domain(button.partner_path, "in", ids) & Domain(list(button.domain)))
        wanted = set(ids)
        return dict(
            Counter(
                commercial
                for record in records
                for commercial in set(record.mapped(button.partner_path).ids) & wanted
            )
        )

    @api.model
    def _crm_cockpit_groupable(self, button):
        """Whether the partner path of `button` is made of many2one fields only."""
        model = self.env[button.model]
        for name in button.partner_path.split("."):
            field = model._fields[name]
            if field.type != "many2one":
                return False
            model = self.env[field.comodel_name]
        return True

    @api.model
    def _crm_cockpit_readable(self, button):
        """Whether the user may read the records of `button` and the models its partner
        path passes through."""
        model = self.env[button.model]
        for name in button.partner_path.split("."):
            if not model.has_access("read"):
                return False
            model = self.env[model._fields[name].comodel_name]
        return True

    def _crm_cockpit_fill(self, button, field_name):
        """Set the count field `field_name` of these partners to the number of records of
        `button` of their commercial entity (one call from a count's compute method)."""
        counts = self._crm_cockpit_count(button)
        for partner in self:
            partner[field_name] = counts.get(partner.commercial_partner_id._origin.id, 0)

    def _crm_cockpit_action(
        self, button, partner_field=None, domain=None, action=None, context=None
    ):
        """A window action listing the records of `button` of this commercial entity:
        the records its count counts."""
        self.ensure_one()
        button = self._crm_cockpit_button(button, partner_field, domain, action)
        if button.action:
            result = self.env["ir.actions.act_window"]._for_xml_id(button.action)
        else:
            result = {
                "type": "ir.actions.act_window",
                "res_model": button.model,
                "view_mode": "list,form",
                "name": self.env[button.model]._description,
            }
        result["domain"] = list(
            Domain(button.partner_path, "=", self.commercial_partner_id.id)
            & Domain(list(button.domain))
        )
        result["context"] = dict(context or {})
        return result

    # ------------------------------------------------------------------------------------------
    # The counts of the customer record's own buttons
    # ------------------------------------------------------------------------------------------
    @api.depends_context("company")
    def _compute_crm_company_currency_id(self):
        self.crm_company_currency_id = self.env.company.currency_id

    @api.depends_context("uid", "company", "allowed_company_ids")
    def _compute_crm_cockpit(self):
        """Every count of the cockpit whose records lead to the customer through many2one
        fields, for all addons at once: one SQL query (see `_crm_cockpit_groups`)."""
        self._crm_cockpit_assign(self._crm_cockpit_read_groups(self._crm_cockpit_groups()))

    def _crm_cockpit_groups(self):
        """{key: CockpitGroup}: the grouped counts the cockpit's count fields are computed
        from. Each addon adds its own (keys prefixed with the addon's name) and sets its
        fields from them in `_crm_cockpit_assign`; its count fields use the compute method
        `_compute_crm_cockpit`, so reading any of them reads them all in one query."""
        return {
            "crm_core.moves": CockpitGroup(
                DOCUMENTS, ("move_type", "state"), ("__count", "amount_residual_signed:sum")
            ),
            "crm_core.children": CockpitGroup(CHILDREN, ("type",)),
            "crm_core.banks": CockpitGroup(BANK_ACCOUNTS),
        }

    def _crm_cockpit_assign(self, groups):
        """Set the count fields of these partners from `groups`, {key of
        `_crm_cockpit_groups`: {(commercial partner id, *groupby values): [aggregates]}}."""
        moves, children = {}, {}
        for (commercial, move_type, state), (count, residual) in groups["crm_core.moves"].items():
            totals = moves.setdefault(commercial, {"out_invoice": 0, "out_refund": 0, "open": 0.0})
            totals[move_type] += count
            if state == "posted":
                totals["open"] += residual
        for (commercial, kind), (count,) in groups["crm_core.children"].items():
            counts = children.setdefault(commercial, [0, 0])
            counts[0 if kind == "contact" else 1] += count
        banks = groups["crm_core.banks"]
        for partner in self:
            key = partner.commercial_partner_id._origin.id
            totals = moves.get(key, {})
            partner.crm_invoice_count = totals.get("out_invoice", 0)
            partner.crm_refund_count = totals.get("out_refund", 0)
            partner.crm_open_amount = totals.get("open", 0.0)
            partner.crm_contact_count, partner.crm_address_count = children.get(key, (0, 0))
            partner.crm_bank_count = banks.get((key,), [0])[0]

    def _crm_cockpit_read_groups(self, groups):
        """{key: {(commercial partner id, *groupby values): [aggregate values]}} for the
        CockpitGroups `groups` ({key: CockpitGroup}), all read in ONE SQL query: the
        grouped query of each (as `_read_group` builds it, record rules applied) joined
        with UNION ALL. Groupby values come back as text, aggregates as numbers ("__count"
        and count_distinct as int). A group the user may not read is empty."""
        result = {key: {} for key in groups}
        ids = self._crm_cockpit_ids()
        if not ids:
            return result
        width = max((len(group.groupby) for group in groups.values()), default=0)
        aggs = max((len(group.aggregates) for group in groups.values()), default=0)
        parts = []
        for key, group in groups.items():
            Model = self.env[group.button.model]
            button = CockpitButton(group.button.model, group.partner_path, group.button.domain)
            if not self._crm_cockpit_readable(button):
                continue
            query = Model._search(
                Domain(group.partner_path, "in", ids) & Domain(list(group.button.domain))
            )
            if query.is_empty():
                continue
            terms = [
                Model._read_group_groupby(Model._table, spec, query)
                for spec in (group.partner_path, *group.groupby)
            ]
            query.groupby = SQL(", ").join(terms)
            parts.append(
                query.select(
                    SQL("%s::text", key),
                    SQL("(%s)::int4", terms[0]),
                    *(SQL("(%s)::text", term) for term in terms[1:]),
                    *[SQL("NULL::text")] * (width - len(group.groupby)),
                    *(
                        SQL("(%s)::float8", Model._read_group_select(spec, query))
                        for spec in group.aggregates
                    ),
                    *[SQL("NULL::float8")] * (aggs - len(group.aggregates)),
                )
            )
        if not parts:
            return result
        rows = self.env.execute_query(SQL(" UNION ALL ").join(SQL("(%s)", part) for part in parts))
        for key, commercial, *values in rows:
            group = groups[key]
            size = len(group.groupby)
            aggregates = [
                int(value or 0)
                if spec == "__count" or spec.endswith(":count_distinct")
                else value or 0.0
                for spec, value in zip(group.aggregates, values[width:], strict=False)
            ]
            result[key][(commercial, *values[:size])] = aggregates
        return result

    def _compute_crm_project_count(self):
        self._crm_cockpit_fill(PROJECTS, "crm_project_count")

    # ------------------------------------------------------------------------------------------
    # The lists the buttons open
    # ------------------------------------------------------------------------------------------
    @one_record
    def action_crm_open_invoices(self):
        return self._crm_cockpit_action(
            INVOICES, context={"default_move_type": "out_invoice", "create": False}
        )

    @one_record
    def action_crm_open_refunds(self):
        return self._crm_cockpit_action(
            REFUNDS, context={"default_move_type": "out_refund", "create": False}
        )

    @one_record
    def action_crm_open_projects(self):
        action = self._crm_cockpit_action(
            PROJECTS, context={"default_partner_id": self.commercial_partner_id.id}
        )
        action["view_mode"] = "list,kanban,form"
        action["views"] = [(False, "list"), (False, "kanban"), (False, "form")]
        return action

    @one_record
    def action_crm_open_contacts(self):
        return self._crm_cockpit_action(
            CONTACTS,
            context={
                "default_parent_id": self.commercial_partner_id.id,
                "default_type": "contact",
            },
        )

    @one_record
    def action_crm_open_addresses(self):
        return self._crm_cockpit_action(
            ADDRESSES,
            context={
                "default_parent_id": self.commercial_partner_id.id,
                "default_type": "delivery",
            },
        )

    @one_record
    def action_crm_open_bank_accounts(self):
        return self._crm_cockpit_action(
            BANK_ACCOUNTS, context={"default_partner_id": self.commercial_partner_id.id}
        )

    # ------------------------------------------------------------------------------------------
    # New documents for the customer
    # ------------------------------------------------------------------------------------------
    def _crm_check_button_ids(self, method):
        """The ids a cockpit button (`method`) is called on, as RPC may send them: one
        customer the user may read, else an ArgumentError (a 4xx-style error naming the
        method; another company's customer is refused like a missing one)."""
        from ..tools.boundary import Records  # noqa: PLC0415

        Records("res.partner", single=True, visible=True).convert(
            self.env,
            f"res.partner.{method}",
            "ids",
            self._ids[0] if len(self._ids) == 1 else list(self._ids),
        )

    def _crm_new_document(self, model, view_xmlid, defaults):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": model,
            "view_mode": "form",
            "views": [(self.env.ref(view_xmlid).id, "form")],
            "target": "current",
            "context": {f"default_{key}": value for key, value in defaults.items()},
        }

    @one_record
    def action_crm_new_invoice(self):
        self.env["account.move"].check_access("create")
        return self._crm_new_document(
            "account.move", "account.view_move_form", self._crm_document_defaults("out_invoice")
        )

    @one_record
    def action_crm_new_refund(self):
        self.env["account.move"].check_access("create")
        return self._crm_new_document(
            "account.move", "account.view_move_form", self._crm_document_defaults("out_refund")
        )

    @one_record
    def action_crm_new_project(self):
        self.env["project.project"].check_access("create")
        return self._crm_new_document(
            "project.project",
            "project.edit_project",
            {"partner_id": self.commercial_partner_id.id, "name": self.commercial_partner_id.name},
        )
