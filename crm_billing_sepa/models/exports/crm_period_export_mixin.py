from odoo import api, models

from odoo.addons.crm_core.tools import state
from odoo.addons.crm_core.tools.boundary import ArgumentError


class CrmPeriodExportMixin(models.AbstractModel):
    """What the exports of a period to an accounting program (DATEV, POHODA) share: their
    results are written by the export only and an exported period stays as it was
    (crm.state.mixin); `export_period`, their public method, checks its company and dates
    here and answers with `_export_result`."""

    _name = "crm.period.export.mixin"
    _description = "Export of a Period to an Accounting Program"
    _inherit = ["crm.state.mixin"]

    # what an exported period was: kept once exported
    _period_fields = ("date_from", "date_to", "company_id")

    def _state_actions(self):
        return self.env._("Export")

    def _check_state_write(self, vals):
        """The results are the export's; an exported period is kept as it was."""
        super()._check_state_write(vals)
        if any(export.state == "done" for export in self):
            state.check_write(self, vals, self._period_fields, self._state_actions())

    @api.model
    def _export_company(self, company, date_from, date_to):
        """The company of export_period (default: the current one), one the user works in,
        and a period that does not end before it starts."""
        where = f"{self._name}.export_period"
        company = company or self.env.company
        if company not in self.env.user.company_ids:
            raise ArgumentError(
                self.env._(
                    "%(where)s: the argument company names a company you do not work in.",
                    where=where,
                )
            )
        if date_from > date_to:
            raise ArgumentError(
                self.env._(
                    "%(where)s: the argument date_to must not lie before date_from.",
                    where=where,
                )
            )
        return company

    def _export_result(self, **counts):
        """What export_period answers: the record, its file (base64) and the counts."""
        self.ensure_one()
        return {
            "id": self.id,
            "filename": self.filename,
            "file": self.file.decode() if isinstance(self.file, bytes) else self.file,
            "checksum": self.checksum,
            **counts,
        }
