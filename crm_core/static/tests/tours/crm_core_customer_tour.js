import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_utils";

function addChild(type, name, extra = []) {
    return [
        {
            content: `add a ${type}`,
            trigger: 'div[name="child_ids"] .o-kanban-button-new',
            run: "click",
        },
        {
            trigger: `.modal .o_field_widget[name="type"] input[data-value="${type}"]`,
            run: "click",
        },
        {
            trigger: '.modal .o_field_widget[name="name"] input',
            run: `edit ${name}`,
        },
        ...extra,
        {
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: `${name} is in the list`,
            trigger: `body:not(:has(.modal)) div[name="child_ids"] .o_kanban_record:contains("${name}")`,
        },
    ];
}

function editModalField(name, value) {
    return {
        trigger: `.modal .o_field_widget[name="${name}"] input`,
        run: `edit ${value}`,
    };
}

registry.category("web_tour.tours").add("crm_core_customer_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: '.o_app[data-menu-xmlid="crm_core.crm_suite_menu_root"]',
            run: "click",
        },
        {
            trigger: ".o-kanban-button-new, .o_list_button_add",
            run: "click",
        },
        {
            trigger: '.o_field_widget[name="name"] input',
            run: "edit Tour Kunde GmbH",
        },
        ...addChild("invoice", "Buchhaltung Tour", [
            editModalField("street", "Rechnungsweg 1"),
            editModalField("city", "Leipzig"),
        ]),
        ...addChild("delivery", "Lager Tour", [
            editModalField("street", "Lagerstraße 5"),
            editModalField("city", "Halle"),
        ]),
        ...addChild("contact", "Eva Tourist", [editModalField("function", "Einkauf")]),
        {
            content: "open the bank accounts",
            trigger: 'a[name="crm_bank_accounts"]',
            run: "click",
        },
        {
            trigger: 'div[name="bank_ids"] .o_field_x2many_list_row_add a',
            run: "click",
        },
        {
            trigger: 'div[name="bank_ids"] .o_data_row .o_field_widget[name="acc_number"] input',
            run: "edit de89 3704 0044 0532 0130 00",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            // (shown masked: a CRM user does not see complete account numbers)
            content: "the IBAN was checked, the bank filled in, the number shown masked",
            trigger: '.o_form_saved div[name="bank_ids"] .o_data_row:contains("**** **** **** **** **30 00"):contains("Commerzbank")',
        },
        {
            content: "the cockpit counts the two addresses and the contact",
            trigger: 'button[name="action_crm_open_addresses"] .o_stat_value:contains("2")',
        },
        {
            trigger: 'button[name="action_crm_open_contacts"] .o_stat_value:contains("1")',
        },
        {
            content: "the new customer got a debtor number",
            trigger: '.o_form_saved .o_field_widget[name="crm_debtor_number"]',
            run() {
                const input = this.anchor.querySelector("input");
                const value = input ? input.value : this.anchor.textContent.trim();
                if (!/^\d{5,}$/.test(value)) {
                    throw new Error(`no debtor number, got "${value}"`);
                }
            },
        },
    ],
});
