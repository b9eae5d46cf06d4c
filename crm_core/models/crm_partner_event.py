"""The customer's event log ("Ereignisse"): every change to the customer record - master
data, contact persons, addresses, bank accounts, definitions, classes, roles, tags and
user-defined fields - with who, when, the old and the new value, in one list on the
record.

Events are written by the ORM overrides of res.partner and res.partner.bank
(res_partner_event.py, res_partner_bank_event.py), of the contact roles (crm.partner.link)
and of the debtor and creditor numbers (crm.partner.number, logged as the customer's fields
they are on its form) in one batch per ORM call; by the fast paths that write partners in
SQL (the ABC analysis, crm_billing_sepa's tools/fastpath_rows) in one INSERT ... SELECT
each (_log_class_changes, _sql_write_before/_sql_write_log), the rows the ORM writes: the
old values are read in one go before the write, only real changes are logged, and the values are
stored as readable text (display names of linked records, labels of selections, dates
formatted in the writer's language). Nobody writes or deletes an event (no group has the
right; the system writes them with sudo); they go with their customer.

Bank account numbers are personal data: `old_value`/`new_value` hold them masked (as
everybody sees them), `old_value_full`/`new_value_full` complete, readable only by the group
"Complete Bank Account Numbers" (crm_core.group_bank_account_number); for its members the
masked columns are read, exported and shown complete (res_partner_bank_privacy.py)."""

from odoo import api, fields, models
from odoo.tools import SQL, format_date, format_datetime, html2plaintext

from ..tools import iban as iban_tools

BANK_GROUP = "crm_core.group_bank_account_number"
# the longest text kept of a value (a note of several pages is logged shortened)
MAX_VALUE = 2000


class CrmPartnerEvent(models.Model):
    _name = "crm.partner.event"
    _description = "Customer Event"
    _order = "date desc, id desc"
    _rec_name = "res_name"

    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        help="The customer (the commercial entity) whose record changed.",
    )
    company_id = fields.Many2one(
        "res.company",
        related="partner_id.company_id",
        store=True,
        index=True,
        string="Customer's Company",
    )
    value_company_id = fields.Many2one(
        "res.company",
        "Company of the Value",
        readonly=True,
        index="btree_not_null",
        help="For values that each company keeps of its own (class, payment terms, "
        "currencies): the company whose value changed.",
    )
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now, index=True)
    user_id = fields.Many2one("res.users", "User", readonly=True, index=True)
    kind = fields.Selection(
        [
            ("created", "Created"),
            ("changed", "Changed"),
            ("removed", "Removed"),
            ("exported", "Personal Data Exported"),
        ],
        required=True,
        readonly=True,
        index=True,
    )
    record_kind = fields.Selection(
        [
            ("customer", "Customer Record"),
            ("contact", "Contact Person"),
            ("address", "Address"),
            ("bank", "Bank Account"),
            ("role", "Contact Role"),
            ("other", "Other"),
        ],
        "Part of the Record",
        required=True,
        readonly=True,
    )
    res_model = fields.Char("Record Model", required=True, readonly=True)
    res_id = fields.Integer("Record ID", readonly=True)
    res_name = fields.Char("Record", readonly=True)
    # (a link to Odoo's technical model, which only "Access Rights" may read: for the others
    # the field's label and name say which field changed, and an export of the log with
    # this column would be refused)
    field_id = fields.Many2one(
        "ir.model.fields",
        "Field",
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
        groups="base.group_erp_manager",
    )
    field_name = fields.Char("Technical Field Name", readonly=True)
    field_label = fields.Char("Field Label", readonly=True)
    old_value = fields.Text("Old Value", readonly=True)
    new_value = fields.Text("New Value", readonly=True)
    old_value_full = fields.Text("Old Value (complete)", readonly=True, groups=BANK_GROUP)
    new_value_full = fields.Text("New Value (complete)", readonly=True, groups=BANK_GROUP)
    is_bank_data = fields.Boolean(
        "Bank Data", readonly=True, help="A bank account number: masked for most users."
    )

    _partner_date_idx = models.Index("(partner_id, date DESC, id DESC)")

    @api.depends("res_name", "field_label", "kind")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for event in self:
            event.display_name = " - ".join(
                part for part in (event.res_name, event.field_label, kinds.get(event.kind)) if part
            )

    # ------------------------------------------------------------------------------------------
    # Complete bank account numbers for the users who see them
    # ------------------------------------------------------------------------------------------
    @api.model
    def _number_visible(self):
        return self.env["res.partner.bank"]._crm_number_visible()

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        wanted = [name for name in ("old_value", "new_value") if name in fnames]
        if wanted and self._number_visible():
            full = {
                event.id: event
                for event in self.sudo().filtered("is_bank_data")
                if event.old_value_full or event.new_value_full
            }
            for values in result:
                event = full.get(values["id"])
                if event:
                    for name in wanted:
                        values[name] = event[f"{name}_full"] or values[name]
        return result

    def _export_rows(self, fields, *, _is_toplevel_call=True):
        lines = super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)
        columns = {
            i: path[0]
            for i, path in enumerate(fields)
            if len(path) == 1 and path[0] in ("old_value", "new_value")
        }
        if columns and _is_toplevel_call and self._number_visible():
            for event, line in zip(self.sudo(), lines, strict=False):
                if event.is_bank_data:
                    for i, name in columns.items():
                        line[i] = event[f"{name}_full"] or line[i]
        return lines

    # ------------------------------------------------------------------------------------------
    # Writing events (for res.partner and res.partner.bank)
    # ------------------------------------------------------------------------------------------
    @api.model
    def _loggable_fields(self, records, names):
        """The fields of `names` whose changes on `records` are logged: stored (or company
        dependent) fields set by users, not the ORM's own, not one2many (their records log
        their own changes), not the model's `_crm_event_skip_fields` (res.partner:
        `_crm_event_skip_field_names()`, which addons extend)."""
        skipped = getattr(records, "_crm_event_skip_field_names", None)
        skip = set(skipped() if skipped else getattr(records, "_crm_event_skip_fields", ()))
        skip |= set(models.MAGIC_COLUMNS)
        result = []
        for name in names:
            field = records._fields.get(name)
            if (
                not field
                or name in skip
                or name.startswith(("message_", "activity_", "website_message"))
                or field.type in ("one2many", "properties", "properties_definition", "json")
                or not (field.store or field.company_dependent)
                or (field.compute and field.readonly and not field.inverse)
            ):
                continue
            result.append(field)
        return result

    @api.model
    def _field_hidden(self, field):
        """Values of fields only some groups may read (credit limit: accounting) are not
        logged: the event says the field changed."""
        groups = set((field.groups or "").split(",")) - {
            "",
            "base.group_user",
            "crm_core.group_user",
        }
        return bool(groups)

    @api.model
    def _snapshot(self, records, fields_):
        """{record id: {field name: raw value}} of `records`, read in one go as superuser
        (the log holds every change, whoever may read the field)."""
        records = records.sudo()
        if not records or not fields_:
            return {record.id: {} for record in records}
        names = [field.name for field in fields_]
        records.fetch(names)
        result = {}
        for record in records:
            result[record.id] = {name: record[name] for name in names}
        return result

    @api.model
    def _text(self, record, field, value):
        """The readable text of `value` of `field` (full: bank numbers complete)."""
        if field.type == "boolean":
            return self.env._("Yes") if value else self.env._("No")
        if field.type == "many2one":
            return value.sudo().display_name or "" if value else ""
        if field.type in ("many2many", "one2many"):
            return ", ".join(value.sudo().mapped("display_name"))
        if value is False or value is None or value == "":
            return ""
        if field.type == "selection":
            return str(field.convert_to_export(value, record))
        if field.type == "date":
            return format_date(self.env, value)
        if field.type == "datetime":
            return format_datetime(self.env, value)
        if field.type == "html":
            return html2plaintext(value or "")[:MAX_VALUE]
        return str(value)[:MAX_VALUE]

    @staticmethod
    def _same(field, before, after):
        if field.type in ("many2one", "many2many", "one2many"):
            return set(getattr(before, "ids", ())) == set(getattr(after, "ids", ()))
        if field.type == "binary":
            return bool(before) == bool(after) and before == after
        return (
            (before or False) == (after or False)
            if field.type != "boolean"
            else (bool(before) == bool(after))
        )

    @api.model
    def _values(self, record, field, before, after):
        """The event values of a change of `field` from `before` to `after`."""
        if field.type == "binary" or self._field_hidden(field):
            return {"old_value": False, "new_value": False}
        old, new = self._text(record, field, before), self._text(record, field, after)
        if record._name == "res.partner.bank" and field.name in ("acc_number",):
            return {
                "old_value": iban_tools.mask(old) if old else False,
                "new_value": iban_tools.mask(new) if new else False,
                "old_value_full": old or False,
                "new_value_full": new or False,
                "is_bank_data": True,
            }
        return {"old_value": old or False, "new_value": new or False}

    @api.model
    def _customer(self, record):
        """The customers (commercial entities) a record belongs to: a contact role belongs
        to the company and to the contact person's own customer (a person of another company,
        or a private person, linked to this company)."""
        if record._name == "res.partner.bank":
            return record.partner_id.commercial_partner_id
        if record._name == "crm.partner.link":
            return (
                record.company_partner_id.commercial_partner_id
                | record.contact_id.commercial_partner_id
            )
        return record.commercial_partner_id

    @api.model
    def _customers_of(self, records):
        """{record id: customer} of `records`, read in one go (before a change moves them)."""
        return {record.id: self._customer(record) for record in records.sudo()}

    @api.model
    def _record_kind(self, record, commercial):
        if record._name == "res.partner.bank":
            return "bank"
        if record._name == "crm.partner.link":
            return "role"
        if record._name != "res.partner":
            return "other"
        if record == commercial:
            return "customer"
        return "contact" if record.type == "contact" else "address"

    @api.model
    def _record_name(self, record):
        if record._name == "res.partner.bank":
            return iban_tools.mask(record.acc_number or "")
        if record._name == "crm.partner.link":
            return self.env._(
                "%(contact)s as %(role)s at %(company)s",
                contact=record.contact_id.name or record.contact_id.display_name,
                role=record.role_id.display_name,
                company=record.company_partner_id.display_name,
            )
        return record.display_name

    @api.model
    def _base(self, record, commercial, kind):
        return {
            "partner_id": commercial.id,
            "user_id": self.env.uid,
            "kind": kind,
            "record_kind": self._record_kind(record, commercial),
            "res_model": record._name,
            "res_id": record.id,
            "res_name": self._record_name(record),
        }

    @api.model
    def _changes(self, records, fields_, before, customer_of):
        """The event values of the changes of `records` since the snapshot `before`
        (`customer_of`: {record id: commercial partner}); the records are read again in one
        go (sudo)."""
        records = records.sudo().exists()
        after = self._snapshot(records, fields_)
        FieldModel = self.env["ir.model.fields"]
        field_ids = {field.name: FieldModel._get(records._name, field.name).id for field in fields_}
        vals_list = []
        # fields Odoo copies from a company to its contacts and addresses (payment terms,
        # VAT ...): their change is logged once, on the company
        synced = set(records._commercial_fields()) if records._name == "res.partner" else set()
        labels = self._labels(records, fields_)
        for record in records:
            old_values, new_values = before.get(record.id, {}), after[record.id]
            commercials = customer_of.get(record.id) or self._customer(record)
            for field in fields_:
                if field.name in synced and record.commercial_partner_id != record:
                    continue
                old, new = old_values.get(field.name), new_values[field.name]
                if self._same(field, old, new):
                    continue
                for commercial in commercials:
                    vals_list.append(
                        {
                            **self._base(record, commercial, "changed"),
                            "field_id": field_ids[field.name] or False,
                            "field_name": field.name,
                            "field_label": labels[field.name],
                            "value_company_id": (
                                self.env.company.id if field.company_dependent else False
                            ),
                            **self._values(record, field, old, new),
                        }
                    )
        return vals_list

    @api.model
    def _labels(self, records, fields_):
        """{field name: label} as the users know the fields: a field Odoo stores behind
        another one (the pricelist of a customer in specific_property_product_pricelist) has
        the label of the one on the form (`_crm_event_label_of` of the model)."""
        shown = getattr(records, "_crm_event_label_of", {})
        return {
            field.name: records._fields.get(shown.get(field.name), field)._description_string(
                self.env
            )
            for field in fields_
        }

    @api.model
    def _presence(self, records, kind, customer_of=None):
        """The event values of records created or removed (a contact person, an address, a
        bank account, the customer itself)."""
        vals_list = []
        for record in records.sudo():
            commercials = (customer_of or {}).get(record.id) or self._customer(record)
            name = self._record_name(record)
            full = record.acc_number if record._name == "res.partner.bank" else False
            value = {"old_value": name} if kind == "removed" else {"new_value": name}
            for commercial in commercials:
                vals = {**self._base(record, commercial, kind), **value}
                if full:
                    full_key = "old_value_full" if kind == "removed" else "new_value_full"
                    vals.update({full_key: full, "is_bank_data": True})
                vals_list.append(vals)
        return vals_list

    @api.model
    def _logged_write(self, records, vals, write, moving=()):
        """Run write(vals) (a write of `records`: theirs, or the one of a super class that
        skips their own logic) and log what it changed, in one batch: the old values read in
        one go before, the new ones after. `moving`: the fields that move a record to
        another customer (then logged on both)."""
        fields_ = self._loggable_fields(records, set(vals)) if records else []
        if not fields_:
            return write(vals)
        before = self._snapshot(records, fields_)
        customers = self._customers_of(records)
        result = write(vals)
        if set(moving) & set(vals):
            customers = {
                record.id: customers.get(record.id, self._customer(record)) | self._customer(record)
                for record in records.sudo().exists()
            }
        self._log(self._changes(records, fields_, before, customers))
        return result

    @api.model
    def _number_changes(self, before, after):
        """The events of changed debtor and creditor numbers (crm.partner.number), logged
        as what they are on the customer's form: its fields "Debtor Number" and "Creditor
        Number" in a company. before, after: {(partner id, company id, kind): number}."""
        keys = [key for key in {*before, *after} if before.get(key) != after.get(key)]
        if not keys:
            return []
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        partners = {
            partner.id: partner
            for partner in Partner.browse({partner_id for partner_id, _c, _k in keys}).exists()
        }
        FieldModel = self.env["ir.model.fields"]
        vals_list = []
        for partner_id, company_id, kind in sorted(keys, key=lambda key: (key[0], key[2])):
            partner = partners.get(partner_id)
            if not partner:
                continue
            field = Partner._fields[f"crm_{kind}_number"]
            for commercial in self._customer(partner):
                vals_list.append(
                    {
                        **self._base(partner, commercial, "changed"),
                        "field_id": FieldModel._get("res.partner", field.name).id or False,
                        "field_name": field.name,
                        "field_label": field._description_string(self.env),
                        "value_company_id": company_id,
                        "old_value": before.get((partner_id, company_id, kind)) or False,
                        "new_value": after.get((partner_id, company_id, kind)) or False,
                    }
                )
        return vals_list

    @api.model
    def _log(self, vals_list):
        """Write these events in one batch (as the system: nobody else creates events)."""
        if not vals_list:
            return self
        return self.sudo().with_context(tracking_disable=True).create(vals_list)

    # ------------------------------------------------------------------------------------------
    # Fast paths: partners written in SQL log the events the ORM's write logs
    # ------------------------------------------------------------------------------------------
    @api.model
    def _sql_write_before(self, records, fnames):
        """Before a fast path UPDATEs the columns `fnames` of `records` (res.partner) in SQL:
        what _sql_write_log needs to log the changes as the ORM's write does (None when none
        of the fields is logged): one SELECT of the old values and the customers."""
        if records._name != "res.partner" or not records:
            return None
        fields_ = [
            field
            for field in self._loggable_fields(records, fnames)
            if field.column_type and not field.company_dependent and field.type != "many2many"
        ]
        if not fields_:
            return None
        records.flush_recordset([field.name for field in fields_])
        rows = self.env.execute_query(
            SQL(
                "SELECT p.id, p.commercial_partner_id, %s FROM res_partner p WHERE p.id = ANY(%s)",
                SQL(", ").join(SQL.identifier("p", field.name) for field in fields_),
                list(records.ids),
            )
        )
        return {
            "fields": fields_,
            "old": {
                row[0]: dict(zip([f.name for f in fields_], row[2:], strict=True)) for row in rows
            },
            "customer": {row[0]: row[1] or row[0] for row in rows},
        }

    @api.model
    def _sql_write_log(self, records, state, id_values):
        """Log the changes an UPDATE in SQL made (id_values: [(id, {field: column value})],
        state: _sql_write_before's) with the values the ORM's write logs: one INSERT ...
        SELECT for all (the readable texts computed once per distinct value). Returns the
        number of events."""
        if not state:
            return 0
        synced = set(records._commercial_fields())
        texts = {}
        prefetch = {}
        for field in state["fields"]:
            if field.type == "many2one":
                ids = {vals.get(field.name) for _i, vals in id_values}
                ids |= {old.get(field.name) for old in state["old"].values()}
                prefetch[field.name] = (
                    self.env[field.comodel_name].sudo().browse(sorted(i for i in ids if i))
                )
                prefetch[field.name].mapped("display_name")  # (one query for all)

        def text(record, field, raw):
            key = (field.name, raw)
            if key not in texts:
                value = raw
                if field.type == "many2one":
                    value = prefetch[field.name].browse(raw) if raw else prefetch[field.name][:0]
                    value = value.with_prefetch(prefetch[field.name]._ids)
                texts[key] = self._values(record, field, value, value)["old_value"]
            return texts[key]

        labels = self._labels(records, state["fields"])
        FieldModel = self.env["ir.model.fields"]
        Partner = records.browse()
        rows = []
        for record_id, vals in id_values:
            old_values = state["old"].get(record_id)
            if old_values is None:
                continue
            customer = state["customer"][record_id]
            record = Partner.browse(record_id)
            for field in state["fields"]:
                if field.name not in vals:
                    continue
                if field.name in synced and customer != record_id:
                    continue
                old, new = old_values[field.name], vals[field.name]
                if field.type == "many2one":
                    old, new = old or False, getattr(new, "id", new) or False
                else:
                    old = field.convert_to_cache(old, record, validate=False)
                    new = field.convert_to_cache(new, record, validate=False)
                if old == new or (field.type != "many2one" and self._same(field, old, new)):
                    continue
                rows.append(
                    (
                        customer,
                        record_id,
                        FieldModel._get("res.partner", field.name).id or None,
                        field.name,
                        labels[field.name],
                        text(record, field, old) or None,
                        text(record, field, new) or None,
                    )
                )
        if not rows:
            return 0
        self.env["res.partner"].flush_model(["complete_name", "company_id", "type"])
        self.flush_model()
        columns = list(zip(*rows, strict=True))
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO crm_partner_event (
                    partner_id, company_id, date, user_id, kind, record_kind, res_model, res_id,
                    res_name, field_id, field_name, field_label, old_value, new_value,
                    create_uid, create_date, write_uid, write_date)
                SELECT c.customer_id, customer.company_id, %(now)s, %(uid)s, 'changed',
                       CASE WHEN p.id = c.customer_id THEN 'customer'
                            WHEN p.type = 'contact' THEN 'contact' ELSE 'address' END,
                       'res.partner', p.id, p.complete_name, c.field_id, c.field_name,
                       c.field_label, c.old_value, c.new_value,
                       %(uid)s, %(transaction)s, %(uid)s, %(transaction)s
                  FROM unnest(%(customers)s::int4[], %(ids)s::int4[], %(field_ids)s::int4[],
                              %(names)s::varchar[], %(labels)s::varchar[], %(olds)s::text[],
                              %(news)s::text[])
                       WITH ORDINALITY
                       AS c(customer_id, partner_id, field_id, field_name, field_label,
                            old_value, new_value, n)
                  JOIN res_partner p ON p.id = c.partner_id
                  JOIN res_partner customer ON customer.id = c.customer_id
                 ORDER BY c.n
                """,
                # (as the ORM's create: the date by the clock, the log columns by the
                # transaction)
                now=fields.Datetime.now(),
                transaction=self.env.cr.now(),
                uid=self.env.uid,
                customers=list(columns[0]),
                ids=list(columns[1]),
                field_ids=list(columns[2]),
                names=list(columns[3]),
                labels=list(columns[4]),
                olds=list(columns[5]),
                news=list(columns[6]),
            )
        )
        self.invalidate_model()
        return self.env.cr.rowcount

    @api.model
    def _log_class_changes(self, company, changes):
        """The class changes of an ABC analysis of `company` ([(partner_id, old_class_id,
        new_class_id)], ids or None) as events. A first analysis changes the class of every
        customer (200,000): one INSERT ... SELECT for all, into this model's own table, with
        the values the ORM would write (the customer's company, its name, the classes' names
        in the user's language). Returns the number of events."""
        if not changes:
            return 0
        field = self.env["res.partner"]._fields["crm_class_id"]
        classes = self.env["crm.partner.class"].sudo().with_context(active_test=False)
        ids = {class_id for _p, old, new in changes for class_id in (old, new) if class_id}
        names = {cls.id: cls.display_name for cls in classes.browse(ids)}
        self.env["res.partner"].flush_model(["complete_name", "company_id"])
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO crm_partner_event (
                    partner_id, company_id, value_company_id, date, user_id, kind, record_kind,
                    res_model, res_id, res_name, field_id, field_name, field_label, old_value,
                    new_value, is_bank_data, create_uid, create_date, write_uid, write_date)
                SELECT p.id, p.company_id, %(company)s, %(now)s, %(uid)s, 'changed', 'customer',
                       'res.partner', p.id, p.complete_name, %(field_id)s, 'crm_class_id',
                       %(label)s, NULLIF(c.old_name, ''), NULLIF(c.new_name, ''), FALSE,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM unnest(%(partners)s::int4[], %(old)s::varchar[], %(new)s::varchar[])
                       AS c(partner_id, old_name, new_name)
                  JOIN res_partner p ON p.id = c.partner_id
                """,
                company=company.id,
                now=fields.Datetime.now(),
                uid=self.env.uid,
                field_id=self.env["ir.model.fields"]._get("res.partner", "crm_class_id").id,
                label=field._description_string(self.env),
                partners=[partner_id for partner_id, _o, _n in changes],
                old=[names.get(old, "") for _p, old, _n in changes],
                new=[names.get(new, "") for _p, _o, new in changes],
            )
        )
        return self.env.cr.rowcount
