from . import crm_scan_upload
