from . import (
    crm_scan_document_type,
    crm_scan_document,
    crm_scan_document_intake,
    crm_scan_document_processing,
    crm_scan_document_recognition,
    crm_scan_document_filing,
    crm_scan_document_einvoice,
    crm_scan_suggestion,
    ir_attachment,
    res_partner,
    res_config_settings,
    res_config_settings_first_steps,
)
from . import crm_chronicle_correspondence
