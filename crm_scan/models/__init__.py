from . import (
    crm_scan_document_type,
    crm_scan_document,
    crm_scan_suggestion,
    res_partner,
    res_config_settings,
)
