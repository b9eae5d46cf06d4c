{
    "name": "CRM Suite: Scanned Documents",
    "summary": "Scanned paper documents read by OCR and filed to the right customer: "
    "upload, scan-to-e-mail and hot folder intake, recognition, review queue, full-text search",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "CRM Suite",
    "website": "https://github.com/crm-suite/crm-suite",
    "development_status": "Alpha",
    "depends": ["crm_core", "crm_chronicle", "mail", "phone_validation"],
    "external_dependencies": {
        "python": ["pytesseract", "schwifty", "phonenumbers", "python-stdnum"],
        "bin": ["tesseract", "pdftoppm", "pdfinfo", "pdfimages"],
    },
    "data": [
        "security/ir.model.access.csv",
        "security/crm_scan_security.xml",
        "data/crm_scan_data.xml",
        "data/ir_cron_data.xml",
        "wizards/crm_scan_upload_views.xml",
        "views/crm_scan_document_views.xml",
        "views/crm_scan_document_type_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "demo": ["demo/crm_scan_demo.xml", "demo/crm_scan_story_demo.xml"],
    "assets": {
        "web.assets_backend": ["crm_scan/static/src/views/*"],
        "web.assets_tests": ["crm_scan/static/tests/tours/*.js"],
    },
    "pre_init_hook": "pre_init_hook",
}
