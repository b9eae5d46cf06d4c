import datetime

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Command, Domain

from ..tools.dates import local_midnight_utc

STATES = [("open", "Open"), ("done", "Done")]


class CrmChronicleEntry(models.Model):
    """One contact with a customer (call, visit, letter, e-mail, ...) in its chronicle."""

    _name = "crm.chronicle.entry"
    _description = "Chronicle Entry"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char("Subject", required=True, tracking=True)
    type_id = fields.Many2one(
        "crm.chronicle.type", "Type", required=True, ondelete="restrict", tracking=True
    )
    type_code = fields.Char(related="type_id.code", string="Type Code")
    icon = fields.Char(related="type_id.icon")
    color = fields.Integer(related="type_id.color")
    date = fields.Datetime(required=True, default=fields.Datetime.now, tracking=True)
    duration = fields.Float(help="Duration in hours.")
    user_id = fields.Many2one(
        "res.users",
        "Responsible",
        default=lambda self: self.env.user,
        index=True,
        tracking=True,
        domain=[("share", "=", False)],
    )
    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        required=True,
        ondelete="cascade",
        index=True,
        tracking=True,
        help="The customer, or one of its contact persons, this entry is about.",
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        string="Commercial Entity",
        store=True,
        index=True,
    )
    contact_ids = fields.Many2many(
        "res.partner",
        "crm_chronicle_entry_contact_rel",
        "entry_id",
        "partner_id",
        string="Contact Persons",
        help="The customer's contact persons involved (attendees of an appointment).",
    )
    project_id = fields.Many2one(
        "project.project", "Project", index="btree_not_null", check_company=True
    )
    description = fields.Html()
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "crm_chronicle_entry_attachment_rel",
        "entry_id",
        "attachment_id",
        string="Attachments",
    )
    state = fields.Selection(STATES, required=True, default="done", tracking=True)
    tag_ids = fields.Many2many("crm.chronicle.tag", string="Tags")
    private = fields.Boolean(
        help="Only the author, the responsible user and CRM managers see a private entry."
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    source_model = fields.Char("Source Model", index=True, readonly=True)
    source_id = fields.Many2oneReference("Source Record", model_field="source_model", readonly=True)
    source_name = fields.Char("Source Document", compute="_compute_source_name")
    resubmission_ids = fields.One2many(
        "crm.chronicle.resubmission", "entry_id", string="Resubmissions"
    )
    resubmission_date = fields.Datetime(
        "Resubmit On",
        compute="_compute_resubmission",
        inverse="_inverse_resubmission",
        help="When this entry comes back to the resubmission user (the next open resubmission).",
    )
    resubmission_user_id = fields.Many2one(
        "res.users",
        "Resubmit To",
        compute="_compute_resubmission",
        inverse="_inverse_resubmission",
        domain=[("share", "=", False)],
    )
    resubmission_note = fields.Text(
        "Resubmission Note", compute="_compute_resubmission", inverse="_inverse_resubmission"
    )

    # the partner's chronicle (newest first) and an integration's "did I log this already"
    _partner_date_idx = models.Index("(commercial_partner_id, date DESC, id DESC)")
    _source_idx = models.Index("(source_id, source_model) WHERE source_id IS NOT NULL")

    @api.constrains("duration")
    def _check_duration(self):
        for entry in self:
            if entry.duration < 0:
                raise ValidationError(
                    self.env._(
                        "Chronicle entry %(entry)s: the duration cannot be negative.",
                        entry=entry.display_name,
                    )
                )

    @api.depends("source_model", "source_id")
    def _compute_source_name(self):
        for entry in self:
            source = entry._get_source()
            entry.source_name = source.sudo().display_name if source else False

    @api.depends("resubmission_ids.date", "resubmission_ids.state", "resubmission_ids.user_id")
    def _compute_resubmission(self):
        for entry in self:
            first = entry.resubmission_ids.filtered(lambda r: r.state == "open").sorted("date")[:1]
            entry.resubmission_date = first.date
            entry.resubmission_user_id = first.user_id
            entry.resubmission_note = first.note

    def _inverse_resubmission(self):
        Resubmission = self.env["crm.chronicle.resubmission"]
        vals_list = []
        for entry in self:
            first = entry.resubmission_ids.filtered(lambda r: r.state == "open").sorted("date")[:1]
            if not entry.resubmission_date:
                first.unlink()
                continue
            vals = {
                "date": entry.resubmission_date,
                "user_id": (entry.resubmission_user_id or entry.user_id or self.env.user).id,
                "note": entry.resubmission_note,
            }
            if first:
                first.write(vals)
            else:
                vals_list.append({**vals, "entry_id": entry.id})
        Resubmission.create(vals_list)

    @api.onchange("type_id", "date")
    def _onchange_type_resubmission_delay(self):
        delay = self.type_id.resubmission_delay
        if delay and not self.resubmission_date and self.date and not self.id:
            self.resubmission_date = self.date + datetime.timedelta(days=delay)

    @api.model_create_multi
    def create(self, vals_list):
        # the chatter shows changes; "entry created" notes would only repeat the entry itself
        return super(CrmChronicleEntry, self.with_context(mail_create_nolog=True)).create(vals_list)

    # ------------------------------------------------------------------------------------------
    # Source document
    # ------------------------------------------------------------------------------------------
    def _get_source(self):
        self.ensure_one()
        if not self.source_model or not self.source_id or self.source_model not in self.env:
            return None
        return self.env[self.source_model].browse(self.source_id).exists() or None

    def action_open_source(self):
        self.ensure_one()
        source = self._get_source()
        if not source:
            raise ValidationError(
                self.env._(
                    "Chronicle entry %(entry)s has no source document (any more).",
                    entry=self.display_name,
                )
            )
        source.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": source._name,
            "res_id": source.id,
            "views": [(False, "form")],
            "target": "current",
        }

    def action_done(self):
        self.write({"state": "done"})
        return True

    def action_reopen(self):
        self.write({"state": "open"})
        return True

    # ------------------------------------------------------------------------------------------
    # The public logging API
    # ------------------------------------------------------------------------------------------
    @api.model
    def crm_log(
        self,
        partner,
        type_code,
        subject,
        body=False,
        source=False,
        date=False,
        user=False,
        duration=False,
        resubmission_date=False,
        resubmission_user=False,
        attachment_ids=False,
    ):
        """Log an entry into a customer's chronicle and return it.

        :param partner: res.partner record or id (person or company)
        :param type_code: code of a crm.chronicle.type ("call", "visit", "letter", ...)
        :param subject: subject line
        :param body: HTML description
        :param source: any record (or "model,id") the entry links to
        :param date: datetime of the contact (default: now)
        :param user: responsible res.users record or id (default: the current user)
        :param duration: hours
        :param resubmission_date: date or datetime: puts the entry on resubmission
        :param resubmission_user: res.users record or id the resubmission goes to
            (default: the responsible user)
        :param attachment_ids: ir.attachment records or ids linked to the entry
        :return: the new crm.chronicle.entry

        Runs with the caller's access rights; it never writes on the partner, so logging
        does not need write access to it."""
        partner = self._crm_log_record("res.partner", partner, "partner")
        user = self._crm_log_record("res.users", user, "user") or self.env.user
        chronicle_type = self.env["crm.chronicle.type"].sudo()._get_by_code(type_code)
        if not subject or not str(subject).strip():
            raise ValidationError(
                self.env._(
                    "A chronicle entry for %(partner)s needs a subject.",
                    partner=partner.display_name,
                )
            )
        if duration and duration < 0:
            raise ValidationError(
                self.env._(
                    "Chronicle entry %(subject)s: the duration cannot be negative.",
                    subject=subject,
                )
            )
        vals = {
            "partner_id": partner.id,
            "type_id": chronicle_type.id,
            "name": str(subject).strip(),
            "description": body or False,
            "date": self._crm_log_datetime(date, "date") or fields.Datetime.now(),
            "user_id": user.id,
            "duration": duration or 0.0,
            "company_id": self._crm_log_company(partner).id,
        }
        if source:
            model, res_id = self._crm_log_source(source)
            vals.update(source_model=model, source_id=res_id)
        if attachment_ids:
            attachments = self._crm_log_record("ir.attachment", attachment_ids, "attachment_ids")
            vals["attachment_ids"] = [Command.set(attachments.ids)]
        if resubmission_date:
            resubmission_user = (
                self._crm_log_record("res.users", resubmission_user, "resubmission_user") or user
            )
            all_day = not isinstance(resubmission_date, datetime.datetime) and not (
                isinstance(resubmission_date, str) and len(resubmission_date) > 10
            )
            if all_day:
                day = fields.Date.to_date(resubmission_date)
                when = local_midnight_utc(day, resubmission_user.tz or self.env.user.tz)
            else:
                when = self._crm_log_datetime(resubmission_date, "resubmission_date")
            vals["resubmission_ids"] = [
                Command.create({"date": when, "all_day": all_day, "user_id": resubmission_user.id})
            ]
            vals["state"] = "open"
        return self.create(vals)

    @api.model
    def _crm_log_record(self, model, value, argument):
        if not value:
            return self.env[model]
        if isinstance(value, models.BaseModel):
            if value._name != model:
                raise ValidationError(
                    self.env._(
                        "crm_log: %(argument)s must be a %(model)s record, not %(given)s.",
                        argument=argument,
                        model=model,
                        given=value._name,
                    )
                )
            records = value
        else:
            ids = value if isinstance(value, list | tuple) else [value]
            if not all(isinstance(i, int) for i in ids):
                raise ValidationError(
                    self.env._(
                        "crm_log: %(argument)s must be a %(model)s record or id, not %(given)r.",
                        argument=argument,
                        model=model,
                        given=value,
                    )
                )
            records = self.env[model].browse(ids)
        missing = records - records.sudo().exists()
        if missing:
            raise ValidationError(
                self.env._(
                    "crm_log: %(argument)s %(model)s %(ids)s does not exist.",
                    argument=argument,
                    model=model,
                    ids=missing.ids,
                )
            )
        if model != "ir.attachment" and len(records) > 1:
            raise ValidationError(
                self.env._(
                    "crm_log: %(argument)s must be one record, got %(count)s.",
                    argument=argument,
                    count=len(records),
                )
            )
        return records

    @api.model
    def _crm_log_datetime(self, value, argument):
        if not value:
            return False
        try:
            return fields.Datetime.to_datetime(value)
        except ValueError as error:
            raise ValidationError(
                self.env._(
                    "crm_log: %(argument)s %(value)r is not a date and time.",
                    argument=argument,
                    value=value,
                )
            ) from error

    @api.model
    def _crm_log_source(self, source):
        if isinstance(source, models.BaseModel):
            if len(source) != 1:
                raise ValidationError(
                    self.env._(
                        "crm_log: the source must be one record, got %(count)s.",
                        count=len(source),
                    )
                )
            return source._name, source.id
        model, _sep, res_id = str(source).partition(",")
        if model not in self.env or not res_id.strip().isdigit():
            raise ValidationError(
                self.env._(
                    "crm_log: the source %(value)r is neither a record nor 'model,id'.",
                    value=source,
                )
            )
        return model, int(res_id)

    @api.model
    def _crm_log_company(self, partner):
        company = partner.sudo().company_id
        if company and company in self.env.user.company_ids:
            return company
        return self.env.company

    # ------------------------------------------------------------------------------------------
    # Chronicle of a partner
    # ------------------------------------------------------------------------------------------
    @api.model
    def _partner_domain(self, partner):
        """Entries about `partner`: a company's chronicle holds those of its contact
        persons; a contact person's those logged on them or naming them as contact."""
        if partner.is_company or not partner.parent_id:
            return Domain("commercial_partner_id", "=", partner.commercial_partner_id.id)
        return Domain("partner_id", "=", partner.id) | Domain("contact_ids", "in", partner.id)
