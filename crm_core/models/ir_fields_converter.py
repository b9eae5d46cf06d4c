from odoo import api, models

# reference data an import of partners names in (almost) every row: looked up once per value
NAME_CACHED_MODELS = {
    "res.country",
    "res.country.state",
    "res.partner.category",
    "res.partner.title",
    "res.partner.industry",
    "res.currency",
    "res.users",
    "account.payment.term",
    "product.pricelist",
    "crm.partner.role",
    "crm.partner.class",
}


class IrFieldsConverter(models.AbstractModel):
    """A partner import (res.partner.load, see res_partner_exchange.py) looks each name of
    a country, tag, role, class ... up once and reuses the id for the following rows, instead
    of two name searches per row and field."""

    _inherit = "ir.fields.converter"

    @api.model
    def db_id_for(self, model, field, subfield, value, savepoint):
        cache = self.env.context.get("crm_import_name_cache")
        if (
            cache is None
            or subfield is not None
            or field.comodel_name not in NAME_CACHED_MODELS
            or not isinstance(value, str)
        ):
            return super().db_id_for(model, field, subfield, value, savepoint)
        key = (model._name, field.name, value)
        if key not in cache:
            record_id, warnings = super().db_id_for(model, field, subfield, value, savepoint)
            if record_id is None:
                return record_id, warnings
            cache[key] = (record_id, warnings)
        return cache[key]
