{
    "name": "CRM Suite: Sales",
    "summary": "Quotations started from the customer record, with its definitions; "
    "dunning and SEPA returns in sales terms",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "CRM Suite",
    "website": "https://github.com/crm-suite/crm-suite",
    "development_status": "Alpha",
    "depends": ["crm_chronicle", "sale"],
    "data": [
        "views/res_partner_views.xml",
        "views/crm_chronicle_correspondence_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "assets": {
        "web.assets_tests": ["crm_sale/static/tests/tours/*.js"],
    },
    "auto_install": True,
}
