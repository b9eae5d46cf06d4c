{
    "name": "CRM Suite: Customer Record",
    "summary": "One customer record holding everything: classes, numbers, addresses, "
    "contacts, bank accounts and a cockpit",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "CRM Suite",
    "website": "https://github.com/crm-suite/crm-suite",
    "development_status": "Alpha",
    "depends": ["contacts", "account", "project", "base_iban"],
    "external_dependencies": {"python": ["schwifty", "phonenumbers"]},
    "data": [
        "security/crm_core_security.xml",
        "security/ir.model.access.csv",
        "views/crm_partner_number_views.xml",
        "views/res_partner_views.xml",
        "views/menus.xml",
    ],
    "assets": {
        "web.assets_tests": ["crm_core/static/tests/tours/*.js"],
    },
    "post_init_hook": "post_init_hook",
    "application": True,
}
