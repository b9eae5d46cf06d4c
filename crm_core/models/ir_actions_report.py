from odoo import models


def _without_none(value):
    """`value` with the None values of its dictionaries left out (nested too)."""
    if isinstance(value, dict):
        return {key: _without_none(item) for key, item in value.items() if item is not None}
    if isinstance(value, list | tuple):
        return [_without_none(item) for item in value]
    return value


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def report_action(self, docids, data=None, config=True):
        """A print button's action without None in it: Odoo writes ``'data': None`` (also
        into the report action that the layout configurator carries in its context), which
        XML-RPC cannot send ("cannot marshal None" instead of the action); the web client
        reads a missing key as no data."""
        return _without_none(super().report_action(docids, data=data, config=config))
