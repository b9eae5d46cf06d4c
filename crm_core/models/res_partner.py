from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command, Domain


class ResPartner(models.Model):
    _inherit = "res.partner"

    crm_number_ids = fields.One2many(
        "crm.partner.number", "partner_id", string="Debtor/Creditor Numbers"
    )
    crm_debtor_number = fields.Char(
        "Debtor Number",
        compute="_compute_crm_numbers",
        inverse="_inverse_crm_debtor_number",
        search="_search_crm_debtor_number",
        help="The customer's number in the current company's accounts receivable "
        "(German: Debitorennummer). Assigned when the partner first becomes a customer.",
    )
    crm_creditor_number = fields.Char(
        "Creditor Number",
        compute="_compute_crm_numbers",
        inverse="_inverse_crm_creditor_number",
        search="_search_crm_creditor_number",
        help="The supplier's number in the current company's accounts payable "
        "(German: Kreditorennummer). Assigned when the partner first becomes a supplier.",
    )

    @api.depends_context("company")
    @api.depends("commercial_partner_id", "crm_number_ids.name")
    def _compute_crm_numbers(self):
        numbers = (
            self.env["crm.partner.number"]
            .sudo()
            .search_fetch(
                [
                    ("partner_id", "in", self.commercial_partner_id.ids),
                    ("company_id", "=", self.env.company.id),
                ],
                ["partner_id", "kind", "name"],
            )
        )
        by_key = {(n.partner_id.id, n.kind): n.name for n in numbers}
        for partner in self:
            commercial = partner.commercial_partner_id.id
            partner.crm_debtor_number = by_key.get((commercial, "debtor"), False)
            partner.crm_creditor_number = by_key.get((commercial, "creditor"), False)

    def _inverse_crm_debtor_number(self):
        self._crm_set_numbers("debtor")

    def _inverse_crm_creditor_number(self):
        self._crm_set_numbers("creditor")

    def _crm_set_numbers(self, kind):
        """Write the numbers of `kind` of self in the current company: one query for the
        existing numbers, one create, one unlink for all (an import sets thousands)."""
        Number = self.env["crm.partner.number"]
        company = self.env.company
        wanted = {}
        for partner in self:
            wanted[partner.commercial_partner_id.id] = partner[f"crm_{kind}_number"]
        existing = {
            number.partner_id.id: number
            for number in Number.search_fetch(
                [
                    ("partner_id", "in", list(wanted)),
                    ("company_id", "=", company.id),
                    ("kind", "=", kind),
                ],
                ["partner_id", "name"],
            )
        }
        to_unlink = Number
        vals_list = []
        for partner_id, value in wanted.items():
            number = existing.get(partner_id)
            if not value:
                to_unlink |= number or Number
            elif number:
                if number.name != value:
                    number.name = value
            else:
                vals_list.append(
                    {
                        "partner_id": partner_id,
                        "company_id": company.id,
                        "kind": kind,
                        "name": value,
                    }
                )
        to_unlink.unlink()
        Number.create(vals_list)

    def _crm_search_number(self, kind, operator, value):
        if operator not in ("in", "ilike", "=ilike", "like", "=like"):
            return NotImplemented
        numbers = (
            self.env["crm.partner.number"]
            .sudo()
            ._search(
                [
                    ("kind", "=", kind),
                    ("company_id", "=", self.env.company.id),
                    ("name", operator, value),
                ]
            )
        )
        return Domain("commercial_partner_id", "in", numbers.subselect("partner_id"))

    def _search_crm_debtor_number(self, operator, value):
        return self._crm_search_number("debtor", operator, value)

    def _search_crm_creditor_number(self, operator, value):
        return self._crm_search_number("creditor", operator, value)

    # ------------------------------------------------------------------------------------------
    # Assignment
    # ------------------------------------------------------------------------------------------
    def _crm_assign_numbers(self, kind):
        """Give the commercial partners of self a number of `kind` in their company (or the
        current one) unless they have one; return the numbers created."""
        commercial = self.commercial_partner_id
        if not commercial:
            return self.env["crm.partner.number"]
        Number = self.env["crm.partner.number"].sudo()
        existing = Number.search_fetch(
            [("partner_id", "in", commercial.ids), ("kind", "=", kind)],
            ["partner_id", "company_id"],
        )
        have = {(n.partner_id.id, n.company_id.id) for n in existing}
        missing = {}  # company: partners without a number there, in order
        for partner in commercial:
            company = partner.company_id or self.env.company
            if (partner.id, company.id) not in have:
                have.add((partner.id, company.id))
                missing.setdefault(company, []).append(partner)
        vals_list = []
        for company, partners in missing.items():
            numbers = company._crm_next_numbers(kind, len(partners))
            vals_list += [
                {"partner_id": partner.id, "company_id": company.id, "kind": kind, "name": name}
                for partner, name in zip(partners, numbers, strict=True)
            ]
        return Number.create(vals_list)

    def action_assign_debtor_number(self):
        """Assign a debtor number to these partners where missing (button and RPC)."""
        self.check_access("write")
        self._crm_assign_numbers("debtor")
        return True

    def action_assign_creditor_number(self):
        """Assign a creditor number to these partners where missing (button and RPC)."""
        self.check_access("write")
        self._crm_assign_numbers("creditor")
        return True

    def _crm_assign_numbers_by_rank(self):
        customers = self.filtered(lambda p: p.customer_rank > 0)
        suppliers = self.filtered(lambda p: p.supplier_rank > 0)
        if customers:
            customers._crm_assign_numbers("debtor")
        if suppliers:
            suppliers._crm_assign_numbers("creditor")

    @api.model_create_multi
    def create(self, vals_list):
        if any("crm_class_id" in vals for vals in vals_list):
            self._crm_check_class_access()
            for vals in vals_list:
                if vals.get("crm_class_id"):
                    vals.setdefault("crm_class_manual", True)
        partners = super().create(vals_list)
        partners._crm_unset_other_default_addresses()
        partners._crm_sync_roles_and_ranks()
        partners._crm_assign_numbers_by_rank()
        return partners

    def write(self, vals):
        old_classes = None
        if "crm_class_id" in vals:
            self._crm_check_class_access()
            vals = dict(vals, crm_class_manual=bool(vals["crm_class_id"]))
            old_classes = {partner.id: partner.crm_class_id for partner in self}
        result = super().write(vals)
        if old_classes is not None:
            self._crm_track_class_changes(old_classes)
        if vals.get("crm_is_default_address"):
            self._crm_unset_other_default_addresses()
        if {"customer_rank", "supplier_rank", "crm_role_ids"} & set(vals):
            self._crm_sync_roles_and_ranks()
        if vals.get("customer_rank") or vals.get("supplier_rank"):
            self._crm_assign_numbers_by_rank()
        return result

    # ------------------------------------------------------------------------------------------
    # Classification: roles and A/B/C classes (issue 3, capability 1)
    # ------------------------------------------------------------------------------------------
    crm_role_ids = fields.Many2many(
        "crm.partner.role",
        "crm_partner_role_rel",
        "partner_id",
        "role_id",
        string="Roles",
        domain="[('company_id', 'in', [False, current_company_id])]",
        help="What this partner is for us; several at once. Customer and supplier follow "
        "Odoo's customer and supplier ranks.",
    )
    crm_class_id = fields.Many2one(
        "crm.partner.class",
        string="Class",
        company_dependent=True,
        domain="[('company_id', '=', current_company_id)]",
        help="Priority class in the current company, computed by the ABC analysis of "
        "revenue unless set by hand.",
    )
    crm_class_manual = fields.Boolean(
        "Class Set by Hand",
        company_dependent=True,
        help="The ABC analysis keeps a class set by hand until it is reset.",
    )
    crm_abc_revenue = fields.Float(
        "ABC Revenue",
        company_dependent=True,
        readonly=True,
        help="Revenue (posted customer invoices minus credit notes, untaxed, company "
        "currency) of the ABC period at the last analysis.",
    )

    def _crm_track_class_changes(self, old_classes):
        """Log a class set by hand in the chatter, like the ABC analysis does (mail's own
        tracking does not follow company-dependent fields): one tracking message per
        changed partner, all created together (a mass edit of 30 partners costs the queries
        of one)."""
        field = self.env["ir.model.fields"]._get("res.partner", "crm_class_id")
        changes = []
        tracking = []
        for partner in self:
            before, after = old_classes[partner.id], partner.crm_class_id
            if before == after:
                continue
            changes.append((partner.id, before.id or None, after.id or None))
            tracking.append(
                {
                    "field_id": field.id,
                    "old_value_integer": before.id,
                    "old_value_char": before.display_name or "",
                    "new_value_integer": after.id,
                    "new_value_char": after.display_name or "",
                }
            )
        if not changes:
            return
        # what mail.thread._message_log gives one record, for all records at once
        author_id, email_from = self._message_compute_author()
        base = {
            "author_id": author_id,
            "email_from": email_from,
            "model": self._name,
            "record_alias_domain_id": False,
            "record_company_id": False,
            "message_type": "notification",
            "is_internal": True,
            "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
            "body": "",
            "email_add_signature": False,
            "reply_to": self.env["mail.thread"]._notify_get_reply_to(
                default=email_from, author_id=author_id
            )[False],
        }
        messages = self.sudo()._message_create(
            [{**base, "res_id": partner_id} for partner_id, _old, _new in changes]
        )
        # (one create for all tracking values: as commands of each message they would
        # be inserted one by one)
        self.env["mail.tracking.value"].sudo().create(
            [
                {**values, "mail_message_id": message.id}
                for message, values in zip(messages, tracking, strict=True)
            ]
        )
        self._crm_on_class_changes(self.env.company, changes, by_hand=True)

    @api.model
    def _crm_on_class_changes(self, company, changes, by_hand):
        """Extension point, called once per ABC run and once per write that sets classes
        by hand, with every class change of `company` in it: `changes` is a list of
        (partner_id, old_class_id, new_class_id) tuples (ids or None). Overrides must treat
        the list in batch (it holds every customer after a first ABC run). crm_chronicle
        logs a "class_change" entry per partner here. Nothing to do in crm_core."""
        return None

    def _crm_check_class_access(self):
        if self.env.su or self.env.user.has_group("crm_core.group_manager"):
            return
        raise AccessError(self.env._("Only CRM managers can set the class of a customer by hand."))

    def _crm_sync_roles_and_ranks(self):
        """Keep roles and Odoo ranks consistent, in a constant number of queries: a positive
        rank gives the linked role (a customer is no prospect any more), a linked role gives
        a positive rank."""
        Role = self.env["crm.partner.role"]
        for rank in ("customer", "supplier"):
            role = Role._crm_get(rank)
            if not role:
                continue
            field = f"{rank}_rank"
            missing_role = self.filtered(
                lambda p, r=role, f=field: p[f] > 0 and r not in p.crm_role_ids
            )
            if missing_role:
                commands = [Command.link(role.id)]
                if rank == "customer" and (prospect := Role._crm_get("prospect")):
                    commands.append(Command.unlink(prospect.id))
                missing_role.sudo().write({"crm_role_ids": commands})
            missing_rank = self.filtered(
                lambda p, r=role, f=field: not p[f] and r in p.crm_role_ids
            )
            if missing_rank:
                missing_rank.sudo().write({field: 1})

    def action_crm_reset_class(self):
        """Forget the class set by hand and take the one the ABC analysis gives."""
        self._crm_check_class_access()
        self.check_access("write")
        commercial = self.commercial_partner_id
        commercial.sudo().with_context(crm_abc=True).write({"crm_class_manual": False})
        self.env["crm.abc.analysis"]._run(self.env.company, partner_ids=commercial.ids)
        return True

    # ------------------------------------------------------------------------------------------
    # The cockpit: smart buttons with counts (issue 3, capability 9). The extension point of
    # the suite: see readme/CONFIGURE.md "Adding a cockpit button".
    # ------------------------------------------------------------------------------------------
    crm_invoice_count = fields.Integer("Invoice Count", compute="_compute_crm_cockpit_moves")
    crm_refund_count = fields.Integer("Credit Note Count", compute="_compute_crm_cockpit_moves")
    crm_open_amount = fields.Monetary(
        "Open Amount",
        compute="_compute_crm_cockpit_moves",
        currency_field="crm_company_currency_id",
        help="Open amount of posted customer invoices minus credit notes, company currency.",
    )
    crm_company_currency_id = fields.Many2one(
        "res.currency", compute="_compute_crm_company_currency_id"
    )
    crm_project_count = fields.Integer("Project Count", compute="_compute_crm_project_count")
    crm_contact_count = fields.Integer("Contact Count", compute="_compute_crm_children_counts")
    crm_address_count = fields.Integer("Address Count", compute="_compute_crm_children_counts")
    crm_bank_count = fields.Integer("Bank Account Count", compute="_compute_crm_bank_count")

    def _crm_cockpit_read_group(
        self, model, partner_field, domain=None, groupby=(), aggregates=("__count",)
    ):
        """One grouped query over `model` for the commercial entities of `self`.

        Returns {(commercial_partner_id, *groupby values): [aggregate values]}. Records whose
        `partner_field` is the company or any of its contacts count for the company. Returns
        {} when the user may not read `model`, so a cockpit never fails for lack of access.
        This is the building block for the cockpit buttons of every addon."""
        Model = self.env[model]
        # new records (a form not saved yet) have nothing to count
        ids = [i for i in self.commercial_partner_id._origin.ids if isinstance(i, int)]
        if not ids or not Model.has_access("read"):
            return {}
        path = self._crm_cockpit_path(partner_field)
        rows = Model._read_group(
            Domain(path, "in", ids) & Domain(domain or Domain.TRUE),
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

    @api.model
    def _crm_cockpit_path(self, partner_field):
        """The field path to the commercial entity: `partner_field` itself when it is one
        (e.g. account.move's stored and indexed commercial_partner_id: no join with the
        partners), else its commercial_partner_id."""
        if partner_field == "commercial_partner_id":
            return partner_field
        return f"{partner_field}.commercial_partner_id"

    def _crm_cockpit_count(self, model, partner_field, domain=None):
        """{commercial_partner_id: number of records} in one grouped query."""
        groups = self._crm_cockpit_read_group(model, partner_field, domain)
        return {key[0]: values[0] for key, values in groups.items()}

    def _crm_cockpit_action(self, model, partner_field, domain=None, action=None, context=None):
        """A window action on `model` showing the records of this commercial entity."""
        self.ensure_one()
        commercial = self.commercial_partner_id
        if action:
            result = self.env["ir.actions.act_window"]._for_xml_id(action)
        else:
            result = {
                "type": "ir.actions.act_window",
                "res_model": model,
                "view_mode": "list,form",
                "name": self.env[model]._description,
            }
        result["domain"] = list(
            Domain(self._crm_cockpit_path(partner_field), "=", commercial.id)
            & Domain(domain or Domain.TRUE)
        )
        result["context"] = dict(context or {})
        return result

    @api.depends_context("company")
    def _compute_crm_company_currency_id(self):
        self.crm_company_currency_id = self.env.company.currency_id

    @api.depends_context("company", "allowed_company_ids")
    def _compute_crm_cockpit_moves(self):
        groups = self._crm_cockpit_read_group(
            "account.move",
            "commercial_partner_id",
            [("move_type", "in", ("out_invoice", "out_refund")), ("state", "!=", "cancel")],
            groupby=("move_type", "state"),
            aggregates=("__count", "amount_residual_signed:sum"),
        )
        totals = {}
        for (commercial, move_type, state), (count, residual) in groups.items():
            counts = totals.setdefault(commercial, {"out_invoice": 0, "out_refund": 0, "open": 0.0})
            counts[move_type] += count
            if state == "posted":
                counts["open"] += residual
        for partner in self:
            counts = totals.get(partner.commercial_partner_id._origin.id, {})
            partner.crm_invoice_count = counts.get("out_invoice", 0)
            partner.crm_refund_count = counts.get("out_refund", 0)
            partner.crm_open_amount = counts.get("open", 0.0)

    def _compute_crm_project_count(self):
        groups = self._crm_cockpit_read_group(
            "crm.project.partner", "partner_id", aggregates=("project_id:count_distinct",)
        )
        for partner in self:
            partner.crm_project_count = groups.get(
                (partner.commercial_partner_id._origin.id,), [0]
            )[0]

    def _compute_crm_children_counts(self):
        groups = self._crm_cockpit_read_group(
            "res.partner",
            "parent_id",
            [("type", "!=", False)],
            groupby=("type",),
        )
        for partner in self:
            key = partner.commercial_partner_id._origin.id
            contacts = addresses = 0
            for (commercial, kind), (count,) in groups.items():
                if commercial == key:
                    if kind == "contact":
                        contacts += count
                    else:
                        addresses += count
            partner.crm_contact_count = contacts
            partner.crm_address_count = addresses

    def _compute_crm_bank_count(self):
        counts = self._crm_cockpit_count("res.partner.bank", "partner_id")
        for partner in self:
            partner.crm_bank_count = counts.get(partner.commercial_partner_id._origin.id, 0)

    def action_crm_open_invoices(self):
        return self._crm_cockpit_action(
            "account.move",
            "commercial_partner_id",
            [("move_type", "=", "out_invoice")],
            action="account.action_move_out_invoice_type",
            context={"default_move_type": "out_invoice", "create": False},
        )

    def action_crm_open_refunds(self):
        return self._crm_cockpit_action(
            "account.move",
            "commercial_partner_id",
            [("move_type", "=", "out_refund")],
            action="account.action_move_out_refund_type",
            context={"default_move_type": "out_refund", "create": False},
        )

    def action_crm_open_projects(self):
        action = self._crm_cockpit_action(
            "project.project",
            "crm_partner_link_ids.partner_id",
            action="project.open_view_project_all",
            context={"default_partner_id": self.commercial_partner_id.id},
        )
        action["view_mode"] = "list,kanban,form"
        action["views"] = [(False, "list"), (False, "kanban"), (False, "form")]
        return action

    def action_crm_open_contacts(self):
        return self._crm_cockpit_action(
            "res.partner",
            "parent_id",
            [("type", "=", "contact")],
            context={
                "default_parent_id": self.commercial_partner_id.id,
                "default_type": "contact",
            },
        )

    def action_crm_open_addresses(self):
        return self._crm_cockpit_action(
            "res.partner",
            "parent_id",
            [("type", "!=", "contact")],
            context={
                "default_parent_id": self.commercial_partner_id.id,
                "default_type": "delivery",
            },
        )

    def action_crm_open_bank_accounts(self):
        return self._crm_cockpit_action(
            "res.partner.bank",
            "partner_id",
            context={"default_partner_id": self.commercial_partner_id.id},
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

    def _crm_document_defaults(self, move_type):
        """Defaults of a new invoice/credit note for this customer (its definitions)."""
        self.ensure_one()
        return self._crm_documents_defaults(move_type)[self.id]

    def _crm_documents_defaults(self, move_type):
        """{partner id: defaults of a new invoice/credit note} for these customers."""
        addresses = self._crm_address_get_multi(["invoice"])
        result = {}
        for partner in self:
            commercial = partner.commercial_partner_id
            result[partner.id] = {
                "move_type": move_type,
                "partner_id": addresses[partner.id]["invoice"],
                "invoice_payment_term_id": commercial.property_payment_term_id.id,
                "fiscal_position_id": commercial.property_account_position_id.id,
                "currency_id": (
                    commercial.crm_sale_currency_id.id or self.env.company.currency_id.id
                ),
                "preferred_payment_method_line_id": (
                    commercial.property_inbound_payment_method_line_id.id
                ),
            }
        return result

    def action_crm_new_invoice(self):
        self.env["account.move"].check_access("create")
        return self._crm_new_document(
            "account.move", "account.view_move_form", self._crm_document_defaults("out_invoice")
        )

    def action_crm_new_refund(self):
        self.env["account.move"].check_access("create")
        return self._crm_new_document(
            "account.move", "account.view_move_form", self._crm_document_defaults("out_refund")
        )

    def action_crm_new_project(self):
        self.env["project.project"].check_access("create")
        return self._crm_new_document(
            "project.project",
            "project.edit_project",
            {"partner_id": self.commercial_partner_id.id, "name": self.commercial_partner_id.name},
        )

    # ------------------------------------------------------------------------------------------
    # Bank accounts (issue 3, capability 4)
    # ------------------------------------------------------------------------------------------
    def _crm_bank_account(self, usage):
        """The commercial partner's bank account for `usage` (incoming, outgoing,
        direct_debit): the default one, else the first one marked for the usage."""
        self.ensure_one()
        accounts = self.commercial_partner_id.bank_ids.filtered(f"crm_use_{usage}")
        return accounts.filtered(f"crm_default_{usage}")[:1] or accounts[:1]

    # ------------------------------------------------------------------------------------------
    # Contact persons (issue 3, capability 3)
    # ------------------------------------------------------------------------------------------
    crm_department = fields.Char("Department")
    crm_title = fields.Char("Title", help="Academic or honorary title: Dr., Prof., Ing., Mgr.")
    crm_birthday = fields.Date("Birthday")
    crm_preferred_channel = fields.Selection(
        [
            ("email", "E-mail"),
            ("phone", "Phone"),
            ("letter", "Letter"),
            ("visit", "Visit"),
            ("video", "Video Call"),
        ],
        string="Preferred Channel",
    )
    crm_decision_maker = fields.Boolean(
        "Decision Maker", help="This person decides about purchases."
    )
    crm_link_ids = fields.One2many(
        "crm.partner.link",
        "company_partner_id",
        string="Contact Roles",
        help="The contact persons of this company with their roles, also persons of other "
        "companies; one main contact per role.",
    )
    crm_contact_link_ids = fields.One2many(
        "crm.partner.link",
        "contact_id",
        string="Roles at Companies",
        help="The roles of this person at its own and at further companies.",
    )

    def _message_log(self, **kwargs):
        """While res.partner.bank creates accounts in a batch (context crm_bank_log_batch),
        it logs "Bank Account ... created" for all of them at once: account's message per
        account is left out."""
        if self.env.context.get("crm_bank_log_batch"):
            return self.env["mail.message"]
        return super()._message_log(**kwargs)

    def _crm_main_contact(self, role):
        """The commercial partner's main contact for `role` (crm.contact.role)."""
        self.ensure_one()
        links = self.commercial_partner_id.crm_link_ids.filtered(
            lambda link: link.role_id == role and link.is_main
        )
        return links[:1].contact_id

    # ------------------------------------------------------------------------------------------
    # Typed addresses (issue 3, capability 2)
    # ------------------------------------------------------------------------------------------
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
    def _unlink_except_address_used_by_posted_document(self):
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

    # ------------------------------------------------------------------------------------------
    # Customer definitions (issue 3, capability 5). Payment methods, payment terms, price
    # list and credit limit are Odoo's own company-dependent fields; the suite adds the
    # currencies and brings them together on the record.
    # ------------------------------------------------------------------------------------------
    crm_sale_currency_id = fields.Many2one(
        "res.currency",
        "Sales Currency",
        company_dependent=True,
        help="Currency of new invoices and credit notes to this customer.",
    )
    crm_purchase_currency_id = fields.Many2one(
        "res.currency",
        "Purchase Currency",
        company_dependent=True,
        help="Currency of new vendor bills from this supplier.",
    )

    # ------------------------------------------------------------------------------------------
    # Customers and projects (issue 3, capability 8)
    # ------------------------------------------------------------------------------------------
    crm_project_link_ids = fields.One2many(
        "crm.project.partner",
        "partner_id",
        string="Project Participations",
        help="The projects this partner takes part in, with its role.",
    )
