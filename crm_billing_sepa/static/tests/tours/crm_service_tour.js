import {registry} from "@web/core/registry";

function addService(name, product, quantity, first) {
    const row = 'div[name="crm_service_ids"] .o_selected_row';
    return [
        {
            content: "add a service line",
            trigger: 'div[name="crm_service_ids"] .o_field_x2many_list_row_add a',
            run: "click",
        },
        {
            content: "a new line on top, the previous one kept",
            trigger: first ? row : `${row} + .o_data_row:not(.o_selected_row)`,
        },
        {
            trigger: `${row} .o_field_widget[name="product_id"] input`,
            run: `edit ${product}`,
        },
        {
            trigger: `.o-autocomplete--dropdown-item:contains(${product})`,
            run: "click",
        },
        {
            trigger: `${row} .o_field_widget[name="name"] input`,
            run: `edit ${name}`,
        },
        {
            trigger: `${row} .o_field_widget[name="quantity"] input`,
            run: `edit ${quantity}`,
        },
    ];
}

registry.category("web_tour.tours").add("crm_service_tour", {
    steps: () => [
        {
            trigger: 'a.nav-link[name="sales_purchases"]',
            run: "click",
        },
        ...addService("Heizung gewartet", "Tour Stunde", "2", true),
        ...addService("Fernwartung", "Tour Stunde", "1.5", false),
        {
            content: "save the customer with its services",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "invoice the open services",
            trigger: 'button[name="action_crm_invoice_services"]',
            run: "click",
        },
        {
            content: "two open services",
            trigger: '.modal .o_field_widget[name="service_count"]:contains("2")',
        },
        {
            trigger: '.modal button[name="action_invoice"]',
            run: "click",
        },
        {
            content: "the draft invoice with both services",
            trigger: '.o_form_view .o_field_widget[name="invoice_line_ids"] .o_data_row:contains(Fernwartung)',
        },
        {
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Draft")',
        },
    ],
});
