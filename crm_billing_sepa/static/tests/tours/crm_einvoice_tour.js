import {registry} from "@web/core/registry";

/**
 * A German or Czech office makes a customer, invoices its services from the customer
 * record, posts the invoice and finds its e-invoice download; the suite's screens speak the
 * user's language (the labels checked are the translated ones).
 */
function einvoiceTour(texts) {
    return [
        {
            trigger: '.o_field_widget[name="name"] textarea, .o_field_widget[name="name"] input',
            run: `edit ${texts.name}`,
        },
        {
            trigger: '.o_field_widget[name="street"] input',
            run: `edit ${texts.street}`,
        },
        {
            trigger: '.o_field_widget[name="zip"] input',
            run: `edit ${texts.zip}`,
        },
        {
            trigger: '.o_field_widget[name="city"] input',
            run: `edit ${texts.city}`,
        },
        {
            trigger: '.o_field_widget[name="country_id"] input',
            run: `edit ${texts.country}`,
        },
        {
            trigger: `.o-autocomplete--dropdown-item:contains(${texts.country})`,
            run: "click",
        },
        {
            content: "the services tab, in the user's language",
            trigger: `a.nav-link[name="sales_purchases"]`,
            run: "click",
        },
        {
            trigger: 'div[name="crm_service_ids"] .o_field_x2many_list_row_add a',
            run: "click",
        },
        {
            trigger: 'div[name="crm_service_ids"] .o_selected_row .o_field_widget[name="product_id"] input',
            run: `edit ${texts.product}`,
        },
        {
            trigger: `.o-autocomplete--dropdown-item:contains(${texts.product})`,
            run: "click",
        },
        {
            trigger: 'div[name="crm_service_ids"] .o_selected_row .o_field_widget[name="name"] input',
            run: `edit ${texts.service}`,
        },
        {
            trigger: 'div[name="crm_service_ids"] .o_selected_row .o_field_widget[name="quantity"] input',
            run: "edit 2",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "saved",
            trigger: `.o_breadcrumb .active:contains(${texts.name})`,
        },
        {
            content: "invoice the services from the customer record",
            trigger: `button[name="action_crm_invoice_services"]:contains(${texts.invoiceServices})`,
            run: "click",
        },
        {
            trigger: `.modal button[name="action_invoice"]:contains(${texts.createInvoices})`,
            run: "click",
        },
        {
            content: "the draft invoice",
            trigger: `.o_form_view .o_field_widget[name="invoice_line_ids"] .o_data_row:contains(${texts.product})`,
        },
        {
            content: "post it",
            trigger: '.o_form_view .o_statusbar_buttons button[name="action_post"]',
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='posted']",
        },
        {
            content: "the e-invoice in the print menu",
            trigger: ".o_form_view .o_cp_action_menus i.fa-cog",
            run: "click",
        },
        {
            trigger: ".dropdown-menu button:has(i.fa-print)",
            run: "click",
        },
        {
            // clicking it starts the download (a page unload for the tour): the test
            // downloads the same URL as this user and validates the file
            content: "the e-invoice download is offered",
            trigger: `.dropdown-menu .o_menu_item:contains(${texts.einvoice})`,
        },
    ];
}

registry.category("web_tour.tours").add("crm_einvoice_tour_de", {
    steps: () =>
        einvoiceTour({
            name: "Erzgebirgische Holzwaren GmbH",
            street: "Hauptstraße 7",
            zip: "09548",
            city: "Seiffen",
            country: "Germany",
            product: "Wartung Heizungsanlage",
            service: "Heizung gewartet",
            invoiceServices: "Leistungen abrechnen",
            createInvoices: "Rechnungen erstellen",
            einvoice: "XRechnung (UBL)",
        }),
});

registry.category("web_tour.tours").add("crm_einvoice_tour_cs", {
    steps: () =>
        einvoiceTour({
            name: "Plzeňské strojírny s.r.o.",
            street: "Tylova 57",
            zip: "301 00",
            city: "Plzeň",
            country: "Czech",
            product: "Servis obráběcího stroje",
            service: "Seřízení soustruhu",
            invoiceServices: "Vyfakturovat služby",
            createInvoices: "Vytvořit faktury",
            einvoice: "ISDOC",
        }),
});
