{
    "name": "CRM Suite: Purchase",
    "summary": "Purchase orders on the record of a supplier, started with its definitions",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "CRM Suite",
    "website": "https://github.com/crm-suite/crm-suite",
    "development_status": "Alpha",
    "depends": ["crm_chronicle", "purchase"],
    "data": [
        "views/res_partner_views.xml",
        "views/crm_chronicle_correspondence_views.xml",
    ],
    "auto_install": True,
}
