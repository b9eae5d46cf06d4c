import datetime
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Command, Domain

from odoo.addons.crm_core.tools.boundary import ArgumentError, check_records, one_record

from ..tools import ical

STATES = [("open", "Open"), ("done", "Done")]
# the next open resubmission as the entry shows it (computed, written through to it)
RESUBMISSION_FIELDS = frozenset({"resubmission_date", "resubmission_user_id", "resubmission_note"})


class CrmChronicleEntry(models.Model):
    """One contact with a customer (call, visit, letter, e-mail, ...) in its chronicle.

    The model is spread over several files by concern: this one holds the fields, the
    source document, the state actions and the partner's chronicle;
    crm_chronicle_entry_log.py the public logging API (crm_log, crm_log_batch);
    crm_chronicle_entry_class_change.py the entries of class changes;
    crm_chronicle_entry_calendar.py the calendar event of appointments."""

    _name = "crm.chronicle.entry"
    _description = "Chronicle Entry"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char("Subject", required=True, tracking=True)
    type_id = fields.Many2one(
        "crm.chronicle.type",
        "Type",
        required=True,
        ondelete="restrict",
        tracking=True,
        default=lambda self: self.env["crm.chronicle.type"].search([], limit=1),
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
        precompute=True,  # in the INSERT of a create, not in an UPDATE after it
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
    state = fields.Selection(
        STATES,
        required=True,
        default="done",
        tracking=True,
        help="Open while the entry is on resubmission or reopened; it changes with the "
        "buttons Mark Done and Reopen and when its resubmissions are closed.",
    )
    tag_ids = fields.Many2many("crm.chronicle.tag", string="Tags")
    private = fields.Boolean(
        help="Only the author, the responsible user and CRM managers see a private entry."
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    is_appointment = fields.Boolean(related="type_id.is_appointment")
    calendar_event_id = fields.Many2one(
        "calendar.event",
        "Calendar Event",
        ondelete="set null",
        copy=False,
        index="btree_not_null",
        readonly=True,
        help="Appointments (meetings, visits) keep a calendar event in sync, with the contact "
        "persons as attendees.",
    )
    source_model = fields.Char("Source Model", index=True, readonly=True)
    source_id = fields.Many2oneReference("Source Record", model_field="source_model", readonly=True)
    source_name = fields.Char(
        "Source Document",
        compute="_compute_source_name",
        help="The name of the document the entry links to, when you may read it.",
    )
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
    # a user's appointments (calendar feed, "my entries")
    _user_date_idx = models.Index("(user_id, date)")
    _source_idx = models.Index("(source_id, source_model) WHERE source_id IS NOT NULL")

    # ------------------------------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------------------------------
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

    # ------------------------------------------------------------------------------------------
    # Resubmission fields: the next open resubmission
    # ------------------------------------------------------------------------------------------
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

    @api.onchange("resubmission_date")
    def _onchange_resubmission_date(self):
        """A new entry shows what saving it will do: open while it has a resubmission, and
        the user it comes back to (the responsible user unless another is chosen)."""
        if self.resubmission_date and not self.resubmission_user_id:
            self.resubmission_user_id = self.user_id or self.env.user
        if not self._origin:
            self.state = "open" if self.resubmission_date else "done"

    # ------------------------------------------------------------------------------------------
    # Create and write: links only to what the user may read, states only by the actions
    # ------------------------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._check_links_readable(vals_list)
        # the chatter shows changes; "entry created" notes would only repeat the entry itself
        entries = super(CrmChronicleEntry, self.with_context(mail_create_nolog=True)).create(
            vals_list
        )
        # the inverse created the resubmissions: the form reads the next one (its user, the
        # entry's state) after saving, not the values it sent
        entries.invalidate_recordset(RESUBMISSION_FIELDS)
        return entries

    def write(self, vals):
        if "state" in vals and not self.env.su:
            changed = self.filtered(lambda entry: entry.state != vals["state"])
            if changed:
                # (a wrong value given to write: logged at INFO like any wrong argument)
                raise ArgumentError(
                    self.env._(
                        "Chronicle entry %(entry)s: its state changes with the buttons Mark "
                        "Done and Reopen, or when its resubmissions are closed.",
                        entry=changed[0].display_name,
                    )
                )
        if "attachment_ids" in vals:
            self._check_links_readable([{"attachment_ids": vals["attachment_ids"]}])
        if {"source_model", "source_id"}.intersection(vals):
            self._check_links_readable(
                [
                    {
                        "source_model": vals.get("source_model", entry.source_model),
                        "source_id": vals.get("source_id", entry.source_id),
                    }
                    for entry in self
                ]
            )
        result = super().write(vals)
        if RESUBMISSION_FIELDS.intersection(vals):
            self.invalidate_recordset(RESUBMISSION_FIELDS)
        return result

    @api.model
    def _check_links_readable(self, vals_list):
        """An entry links only to documents and attachments its user may read: otherwise
        its source name and the correspondence would show what the user may not see. (As
        superuser, automatic logging links what it logs about.)"""
        if self.env.su:
            return
        sources = defaultdict(set)
        attachment_ids = set()
        for vals in vals_list:
            model, res_id = vals.get("source_model"), vals.get("source_id")
            if model or res_id:
                if not model or model not in self.env or not isinstance(res_id, int) or res_id <= 0:
                    raise ArgumentError(
                        self.env._(
                            "A chronicle entry's source must be a record: model %(model)r, "
                            "id %(id)r is not one.",
                            model=model,
                            id=res_id,
                        )
                    )
                sources[model].add(res_id)
            for command in vals.get("attachment_ids") or ():
                if isinstance(command, int):
                    attachment_ids.add(command)
                elif command[0] == Command.LINK:
                    attachment_ids.add(command[1])
                elif command[0] == Command.SET:
                    attachment_ids.update(command[2])
        for model, ids in sources.items():
            check_records(self.env[model].browse(ids), self._name, "source_id", readable=True)
        check_records(
            self.env["ir.attachment"].browse(attachment_ids),
            self._name,
            "attachment_ids",
            readable=True,
        )

    # ------------------------------------------------------------------------------------------
    # State actions
    # ------------------------------------------------------------------------------------------
    def action_done(self):
        """Mark the open ones of these entries done."""
        self._set_state("done")
        return True

    def action_reopen(self):
        """Open the done ones of these entries again."""
        self._set_state("open")
        return True

    def _set_state(self, state):
        """The one way a state changes after creation (write refuses it otherwise): with
        the user's right to write the entries."""
        changed = self.filtered(lambda entry: entry.state != state)
        changed.check_access("write")
        changed.sudo().write({"state": state})

    # ------------------------------------------------------------------------------------------
    # Source document
    # ------------------------------------------------------------------------------------------
    @api.depends("source_model", "source_id")
    @api.depends_context("uid")
    def _compute_source_name(self):
        """The source's name, only where the reader may read the source (the name of a
        mandate or a message of another company, or of a document the reader has no
        rights on, stays hidden)."""
        ids_by_model = defaultdict(set)
        for entry in self:
            if entry.source_model in self.env and entry.source_id:
                ids_by_model[entry.source_model].add(entry.source_id)
        readable = {}
        for model, ids in ids_by_model.items():
            records = self.env[model].browse(ids).exists()._filtered_access("read")
            readable.update(
                ((model, record.id), name)
                for record, name in zip(records, records.sudo().mapped("display_name"), strict=True)
            )
        for entry in self:
            entry.source_name = readable.get((entry.source_model, entry.source_id), False)

    def _get_source(self):
        self.ensure_one()
        if not self.source_model or not self.source_id or self.source_model not in self.env:
            return None
        return self.env[self.source_model].browse(self.source_id).exists() or None

    @one_record
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
        if source._name == "mail.message" and source.sudo().model and source.sudo().res_id:
            # an e-mail opens on the document it belongs to
            message = source.sudo()
            source = self.env[message.model].browse(message.res_id).exists() or source
        source.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": source._name,
            "res_id": source.id,
            "views": [(False, "form")],
            "target": "current",
        }

    def action_export_ics(self):
        """Download these records as an iCalendar (.ics) file."""
        return ical.download_action(self)

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

    # ------------------------------------------------------------------------------------------
    # Demo data: called by demo/crm_chronicle_story_demo.xml only
    # ------------------------------------------------------------------------------------------
    @api.model
    def _crm_demo_czech_entries(self):
        """The chronicle of the story's Czech company (crm_core's demo customers of Elbtal
        Obchod s.r.o., Brno; nothing when they are not there): calls, an offer and an e-mail,
        logged in that company. Found again by customer and subject (installed again after an
        uninstall: no duplicates)."""
        today = fields.Datetime.now().replace(hour=8, minute=0, second=0, microsecond=0)
        vals_list = []
        for key, type_key, subject, days, duration, text in CZ_DEMO_ENTRIES:
            partner = self.env.ref(f"crm_core.{key}", raise_if_not_found=False)
            if not partner or not partner.company_id:
                continue
            if self.search_count(
                [("partner_id", "=", partner.id), ("name", "=", subject)], limit=1
            ):
                continue
            vals_list.append(
                {
                    "name": subject,
                    "type_id": self.env.ref(f"crm_chronicle.{type_key}").id,
                    "partner_id": partner.id,
                    "company_id": partner.company_id.id,
                    "user_id": self.env.ref("base.user_admin").id,
                    "date": today + datetime.timedelta(days=days),
                    "duration": duration,
                    "state": "done",
                    "description": text,
                }
            )
        return self.with_context(tracking_disable=True).create(vals_list)


# (customer of crm_core's demo, entry type, subject, days from today, hours, description)
CZ_DEMO_ENTRIES = [
    (
        "res_partner_cz_demo_01",
        "crm_chronicle_type_call",
        "Objednávka mouky na prosinec",
        -2,
        0.25,
        "<p>Pan Král potvrzuje dodávku 40 pytlů do pátku.</p>",
    ),
    (
        "res_partner_cz_demo_01",
        "crm_chronicle_type_offer",
        "Nabídka 2026-031: servis pecí",
        -9,
        0.5,
        "<p>Nabídka zaslána e-mailem vedoucímu provozu.</p>",
    ),
    (
        "res_partner_cz_demo_02",
        "crm_chronicle_type_call",
        "Reklamace dodávky náhradních dílů",
        -4,
        0.3,
        "<p>Chybí dvě sady brzdových destiček, doplníme s příští dodávkou.</p>",
    ),
    (
        "res_partner_cz_demo_03",
        "crm_chronicle_type_email",
        "Vinařství Mikulov: termín roční údržby",
        -1,
        0.1,
        "<p>Údržba lisovny domluvena na první týden v lednu.</p>",
    ),
]
