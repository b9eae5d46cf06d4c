import base64

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command

from odoo.addons.crm_core.tools.boundary import one_record

from ..tools import label_sheet
from ..tools.boundary import Float, Int, Records, Selection, Str, public

PRESET_SELECTION = [(key, sheet.name) for key, sheet in label_sheet.PRESETS.items()] + [
    ("custom", "Custom size")
]


class CrmLabelWizard(models.TransientModel):
    """Print address labels on a label sheet (reportlab, embedded DejaVu font)."""

    _name = "crm.label.wizard"
    _description = "Print Address Labels"

    partner_ids = fields.Many2many("res.partner", string="Partners", required=True)
    per = fields.Selection(
        [("partner", "One label per selected partner"), ("contact", "One per contact person")],
        string="Labels",
        required=True,
        default="partner",
        help="With 'One per contact person' each selected company gets a label for each of "
        "its contact persons (the company itself when it has none).",
    )
    preset = fields.Selection(
        PRESET_SELECTION, string="Sheet", required=True, default="avery_l7160"
    )
    start_position = fields.Integer(
        default=1,
        required=True,
        help="First free label on a partly used sheet, counted row by row from the top left.",
    )
    print_sender = fields.Boolean("Sender line")
    sender_line = fields.Char(default=lambda self: self._default_sender_line())
    font_size = fields.Float(default=10.0, required=True)
    # custom sheet (mm)
    page_width = fields.Float("Page width", default=210.0, digits=(6, 2))
    page_height = fields.Float("Page height", default=297.0, digits=(6, 2))
    columns = fields.Integer("Columns", default=3)
    rows = fields.Integer("Rows", default=7)
    label_width = fields.Float("Label width", default=63.5, digits=(6, 2))
    label_height = fields.Float("Label height", default=38.1, digits=(6, 2))
    margin_top = fields.Float("Top margin", default=15.15, digits=(6, 2))
    margin_left = fields.Float("Left margin", default=7.21, digits=(6, 2))
    pitch_x = fields.Float("Horizontal pitch", default=66.04, digits=(6, 2))
    pitch_y = fields.Float("Vertical pitch", default=38.1, digits=(6, 2))
    label_count = fields.Integer(compute="_compute_label_count")
    file = fields.Binary(readonly=True)
    filename = fields.Char(readonly=True)

    @api.model
    def _default_sender_line(self):
        company = self.env.company
        town = " ".join(p for p in (company.zip, company.city) if p)
        return " · ".join(p for p in (company.name, company.street, town) if p)

    @api.depends("partner_ids", "per")
    def _compute_label_count(self):
        for wizard in self:
            wizard.label_count = len(wizard.partner_ids._crm_label_partners(wizard.per))

    def _sheet(self):
        self.ensure_one()
        if self.preset != "custom":
            return label_sheet.PRESETS[self.preset]
        return label_sheet.LabelSheet(
            name=self.env._("Custom"),
            page_width=self.page_width,
            page_height=self.page_height,
            columns=self.columns,
            rows=self.rows,
            label_width=self.label_width,
            label_height=self.label_height,
            margin_top=self.margin_top,
            margin_left=self.margin_left,
            pitch_x=self.pitch_x,
            pitch_y=self.pitch_y,
        )

    def _check_custom_sheet(self, sheet):
        _ = self.env._
        positive = {
            "page_width": sheet.page_width,
            "page_height": sheet.page_height,
            "label_width": sheet.label_width,
            "label_height": sheet.label_height,
            "pitch_x": sheet.pitch_x,
            "pitch_y": sheet.pitch_y,
            "columns": sheet.columns,
            "rows": sheet.rows,
        }
        for name, value in positive.items():
            if value <= 0:
                raise ValidationError(
                    _(
                        "Custom label sheet: %(field)s must be greater than 0.",
                        field=self._fields[name]._description_string(self.env),
                    )
                )
        if sheet.margin_top < 0 or sheet.margin_left < 0:
            raise ValidationError(_("Custom label sheet: margins cannot be negative."))
        if sheet.columns > 1 and sheet.pitch_x < sheet.label_width:
            raise ValidationError(
                _("Custom label sheet: the horizontal pitch is smaller than the label width.")
            )
        if sheet.rows > 1 and sheet.pitch_y < sheet.label_height:
            raise ValidationError(
                _("Custom label sheet: the vertical pitch is smaller than the label height.")
            )
        right = sheet.margin_left + (sheet.columns - 1) * sheet.pitch_x + sheet.label_width
        bottom = sheet.margin_top + (sheet.rows - 1) * sheet.pitch_y + sheet.label_height
        if right > sheet.page_width + 0.05:
            raise ValidationError(
                _(
                    "Custom label sheet: the labels reach %(right).2f mm from the left edge, "
                    "beyond the page width of %(width).2f mm (check columns, horizontal pitch "
                    "and left margin).",
                    right=right,
                    width=sheet.page_width,
                )
            )
        if bottom > sheet.page_height + 0.05:
            raise ValidationError(
                _(
                    "Custom label sheet: the labels reach %(bottom).2f mm from the top edge, "
                    "beyond the page height of %(height).2f mm (check rows, vertical pitch and "
                    "top margin).",
                    bottom=bottom,
                    height=sheet.page_height,
                )
            )

    def _render(self):
        """Return (pdf bytes, number of labels)."""
        self.ensure_one()
        _ = self.env._
        sheet = self._sheet()
        if self.preset == "custom":
            self._check_custom_sheet(sheet)
        if not 1 <= self.start_position <= sheet.per_sheet:
            raise ValidationError(
                _(
                    "Start position %(start)s does not exist on the sheet %(sheet)s: choose a "
                    "position from 1 to %(count)s.",
                    start=self.start_position,
                    sheet=sheet.name,
                    count=sheet.per_sheet,
                )
            )
        if not 4 <= self.font_size <= 24:
            raise ValidationError(_("The font size must be between 4 and 24 points."))
        partners = self.partner_ids._crm_label_partners(self.per)
        if not partners:
            raise UserError(_("Select at least one partner to print labels for."))
        blocks = partners._crm_address_blocks()
        sender = self.sender_line if self.print_sender and self.sender_line else None
        try:
            pdf = label_sheet.render_labels(
                sheet, blocks, start=self.start_position, sender=sender, font_size=self.font_size
            )
        except label_sheet.LabelFontError as error:
            raise UserError(_("Labels cannot be printed: %(reason)s", reason=str(error))) from error
        return pdf, len(blocks)

    @api.model
    @public(
        partner_ids=Records("res.partner"),
        preset=Selection(tuple(label_sheet.PRESETS), required=False),
        start_position=Int(minimum=1, maximum=200, required=False),
        per=Selection(("partner", "contact"), required=False),
        sender_line=Str(max_len=200, required=False),
        font_size=Float(minimum=4, maximum=24, required=False),
    )
    def render_labels(
        self,
        partner_ids,
        preset="avery_l7160",
        start_position=1,
        per="partner",
        sender_line=False,
        font_size=10.0,
    ):
        """Address labels of the partners `partner_ids` on a label sheet of the preset
        `preset` (see the wizard's sheets), starting at `start_position` of a partly used
        sheet, one per partner or (`per` "contact") per contact person, with
        `sender_line` above each address. Returns the PDF in base64."""
        partner_ids.check_access("read")
        wizard = self.create(
            {
                "partner_ids": [Command.set(partner_ids.ids)],
                "preset": preset or "avery_l7160",
                "start_position": start_position or 1,
                "per": per or "partner",
                "print_sender": bool(sender_line),
                "sender_line": sender_line or False,
                "font_size": font_size or 10.0,
            }
        )
        pdf, _count = wizard._render()
        return base64.b64encode(pdf).decode()

    @one_record
    def action_print(self):
        pdf, _count = self._render()
        self.write({"file": base64.b64encode(pdf), "filename": "labels.pdf"})
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/file/labels.pdf?download=true",
            "target": "download",
        }
