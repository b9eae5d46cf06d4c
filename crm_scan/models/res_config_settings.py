from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_scan_confidence_threshold = fields.Float(
        "Filing Confidence",
        config_parameter="crm_scan.confidence_threshold",
        default=0.8,
        help="Documents recognised with at least this confidence (0-1) are filed "
        "automatically; the others wait for review.",
    )
    crm_scan_languages = fields.Char(
        "OCR Languages",
        config_parameter="crm_scan.languages",
        default="deu+ces+eng",
        help="Tesseract language codes joined by '+'.",
    )
    crm_scan_resubmission_days = fields.Integer(
        "Resubmission after (days)",
        config_parameter="crm_scan.resubmission_days",
        help="Put each filed document on resubmission after this many days (0: none).",
    )
    crm_scan_pages_per_step = fields.Integer(
        "Pages per Step",
        config_parameter="crm_scan.pages_per_step",
        default=10,
        help="Long files are read in parts of this many pages, committed one by one.",
    )
    crm_scan_max_file_mb = fields.Integer(
        "Largest File (MB)",
        config_parameter="crm_scan.max_file_mb",
        default=50,
        help="A larger file is kept as it came but not read.",
    )
    crm_scan_max_megapixels = fields.Integer(
        "Largest Page (Megapixels)",
        config_parameter="crm_scan.max_megapixels",
        default=80,
        help="A page with more pixels is not decoded (an A3 page at 600 dpi has 70).",
    )
    crm_scan_max_pages = fields.Integer(
        "Most Pages per File",
        config_parameter="crm_scan.max_pages",
        default=500,
    )
    crm_scan_hot_folder = fields.Char("Hot Folder", config_parameter="crm_scan.hot_folder")
    crm_scan_archive_folder = fields.Char(
        "Archive Folder", config_parameter="crm_scan.archive_folder"
    )
    crm_scan_error_folder = fields.Char("Error Folder", config_parameter="crm_scan.error_folder")
    crm_scan_alias_id = fields.Many2one(
        "mail.alias",
        "Scan E-mail Alias",
        compute="_compute_crm_scan_alias_id",
    )
    crm_scan_alias_name = fields.Char(
        "Scan Alias",
        compute="_compute_crm_scan_alias_id",
        inverse="_inverse_crm_scan_alias_name",
        readonly=False,
    )

    def _compute_crm_scan_alias_id(self):
        alias = self.env.ref("crm_scan.mail_alias_scan", raise_if_not_found=False)
        for settings in self:
            settings.crm_scan_alias_id = alias
            settings.crm_scan_alias_name = alias.alias_name if alias else False

    def _inverse_crm_scan_alias_name(self):
        alias = self.env.ref("crm_scan.mail_alias_scan", raise_if_not_found=False)
        for settings in self:
            if alias and settings.crm_scan_alias_name != alias.alias_name:
                alias.sudo().alias_name = settings.crm_scan_alias_name

    @api.constrains("crm_scan_max_file_mb", "crm_scan_max_megapixels", "crm_scan_max_pages")
    def _check_crm_scan_limits(self):
        for settings in self:
            for name in ("crm_scan_max_file_mb", "crm_scan_max_megapixels", "crm_scan_max_pages"):
                if settings[name] < 1:
                    raise ValidationError(
                        self.env._(
                            "Scan settings: %(setting)s must be at least 1 (got %(value)s).",
                            setting=self._fields[name].get_description(self.env)["string"],
                            value=settings[name],
                        )
                    )

    @api.constrains("crm_scan_confidence_threshold")
    def _check_crm_scan_confidence_threshold(self):
        for settings in self:
            if not 0 <= settings.crm_scan_confidence_threshold <= 1:
                raise ValidationError(
                    self.env._(
                        "Scan settings: the filing confidence must be between 0 and 1 "
                        "(got %(value)s).",
                        value=settings.crm_scan_confidence_threshold,
                    )
                )
