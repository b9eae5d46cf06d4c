import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("crm_sepa_tour", {
    steps: () => [
        {
            trigger: 'a.nav-link[name="crm_sepa"]',
            run: "click",
        },
        {
            content: "open the customer's mandates",
            trigger: '.o_notebook button[name="action_crm_sepa_mandates"]',
            run: "click",
        },
        {
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "choose the customer's bank account",
            trigger: '.o_field_widget[name="bank_account_id"] input',
            run: "edit DE02",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(DE02)",
            run: "click",
        },
        {
            trigger: '.o_field_widget[name="signature_date"] input',
            run: "edit 01/15/2026",
        },
        {
            content: "activate the mandate",
            trigger: 'button[name="action_activate"]',
            run: "click",
        },
        {
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Active")',
        },
        {
            content: "back to the customer",
            trigger: ".o_breadcrumb a:contains(Tour Lastschrift AG)",
            run: "click",
        },
        {
            trigger: 'a.nav-link[name="crm_sepa"]',
            run: "click",
        },
        {
            trigger: 'button[name="action_crm_sepa_debit_now"]',
            run: "click",
        },
        {
            content: "one due invoice",
            trigger: '.modal .o_field_widget[name="candidate_count"]:contains("1")',
        },
        {
            trigger: '.modal button[name="action_create_batches"]',
            run: "click",
        },
        {
            content: "the batch with its validated file",
            trigger: '.o_form_view .o_field_widget[name="file"] a.o_form_uri',
            run: "click",
        },
        {
            trigger: '.o_field_widget[name="state"] .o_arrow_button_current:contains("File Generated")',
        },
    ],
});
