{
    "name": "CRM Suite: Chronicle and Resubmissions",
    "summary": "The customer's action chronicle (calls, visits, letters, e-mails, meetings) "
    "with resubmissions, and the one logging API of the suite",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "CRM Suite",
    "website": "https://github.com/crm-suite/crm-suite",
    "development_status": "Alpha",
    "depends": ["crm_core", "calendar", "mail"],
    "data": [
        "security/ir.model.access.csv",
        "security/crm_chronicle_security.xml",
        "data/crm_chronicle_type_data.xml",
        "views/crm_chronicle_type_views.xml",
        "views/crm_chronicle_entry_views.xml",
        "views/crm_chronicle_resubmission_views.xml",
        "views/res_partner_views.xml",
        "views/menus.xml",
    ],
    "demo": ["demo/crm_chronicle_demo.xml"],
}
