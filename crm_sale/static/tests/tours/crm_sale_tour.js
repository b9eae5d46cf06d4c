import {registry} from "@web/core/registry";

// From a customer: start a quotation, confirm it, deliver it, invoice it (crm_sale's
// tests/test_ui.py runs the dunning and checks what the customer record then holds).
registry.category("web_tour.tours").add("crm_sale_record_tour", {
    steps: () => [
        {
            content: "start a quotation from the customer record",
            trigger: 'button[name="action_crm_new_quotation"]',
            run: "click",
        },
        {
            content: "the quotation is for the customer",
            trigger: '.o_field_widget[name="partner_id"] input:value("Tour Verkauf GmbH")',
        },
        {
            trigger: 'div[name="order_line"] .o_field_x2many_list_row_add a',
            run: "click",
        },
        {
            trigger:
                'div[name="order_line"] .o_selected_row .o_field_widget[name="product_template_id"] input',
            run: "edit Tour Ware",
        },
        {
            trigger: '.o-autocomplete--dropdown-item:contains("Tour Ware")',
            run: "click",
        },
        {
            content: "the line is priced",
            trigger: 'div[name="order_line"] .o_data_row td[name="price_subtotal"]:contains("100")',
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "saved: the quotation has its number",
            trigger: '.o_breadcrumb .active:contains("S0")',
        },
        {
            content: "confirm the quotation",
            trigger: '.o_statusbar_buttons button[name="action_confirm"]',
            run: "click",
        },
        {
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Sales Order")',
        },
        {
            content: "open the delivery",
            trigger: 'button[name="action_view_delivery"]',
            run: "click",
        },
        {
            trigger: '.o_statusbar_buttons button[name="button_validate"]',
            run: "click",
        },
        {
            content: "delivered",
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Done")',
        },
        {
            content: "back to the order",
            trigger: '.o_breadcrumb .breadcrumb-item a:contains("S0")',
            run: "click",
        },
        {
            trigger: '.o_statusbar_buttons button:contains("Create Invoice")',
            run: "click",
        },
        {
            trigger: '.modal button[name="create_invoices"]',
            run: "click",
        },
        {
            content: "the draft invoice",
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Draft")',
        },
        {
            trigger: '.o_statusbar_buttons button[name="action_post"]',
            run: "click",
        },
        {
            content: "the invoice is posted",
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Posted")',
        },
    ],
});

// After the dunning (crm_sale's tests/test_ui.py): the customer's correspondence lists the
// dunning letter first, then the invoice, the delivery note and the order, and the filter
// "Dunning Letters" keeps the letter only.
registry.category("web_tour.tours").add("crm_sale_correspondence_tour", {
    steps: () => [
        {
            content: "search the customer's documents",
            trigger: "input.o_searchview_input",
            run: "edit Tour Verkauf GmbH",
        },
        {
            trigger: '.o_searchview_autocomplete .o-dropdown-item:contains("Customer")',
            run: "click",
        },
        {
            content: "the dunning letter is the newest document",
            trigger:
                '.o_list_view .o_data_row:first-child td[name="kind"]:contains("Dunning Letter")',
        },
        {
            content: "then the invoice, the delivery note and the order, in this order",
            trigger:
                '.o_list_view .o_data_row:has(td[name="kind"]:contains("Invoice")) ~ ' +
                '.o_data_row:has(td[name="kind"]:contains("Delivery Note")) ~ ' +
                '.o_data_row:has(td[name="kind"]:contains("Sales Order"))',
        },
        {
            trigger: ".o_control_panel .o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "filter the dunning letters",
            trigger: '.o_filter_menu .o_menu_item:contains("Dunning Letters")',
            run: "click",
        },
        {
            content: "the letter alone",
            trigger:
                '.o_list_view:not(:has(.o_data_row:nth-child(2))) .o_data_row td[name="kind"]:contains("Dunning Letter")',
        },
    ],
});
