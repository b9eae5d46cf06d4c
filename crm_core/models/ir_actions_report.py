from odoo import models


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def report_action(self, docids, data=None, config=True):
        """A print button's action without data carries no ``data`` key: Odoo writes
        ``'data': None``, which XML-RPC cannot send ("cannot marshal None" instead of the
        action); the web client reads a missing key as no data."""
        action = super().report_action(docids, data=data, config=config)
        if isinstance(action, dict) and "data" in action and action["data"] is None:
            action = {key: value for key, value in action.items() if key != "data"}
        return action
