import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("crm_telephony_incoming_call_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "the call monitor reports a call from a known customer: notification",
            trigger: ".o_crm_incoming_call .o_crm_caller_name:contains('Tour Telefon GmbH')",
            timeout: 30000,
        },
        {
            content: "the notification shows the caller's number",
            trigger: ".o_crm_incoming_call:contains('03514445566')",
        },
        {
            content: "open the customer from the notification",
            trigger: ".o_crm_incoming_call button:contains('Open')",
            run: "click",
        },
        {
            content: "the customer's record is open",
            trigger: ".o_breadcrumb:contains('Tour Telefon GmbH')",
        },
        {
            content: "the phone field has a dial button (the user has a Fritz!Box)",
            trigger: ".o_form_view .o_field_widget[name='phone'] .o_crm_dial",
            run: "click",
        },
        {
            content: "the box rings the user's phone, then dials",
            trigger: ".o_notification:contains('**610')",
        },
        {
            content: "show the action_crm_phone_calls smart button (it may be under More)",
            trigger: ".o_form_view .o-form-buttonbox",
            run() {
                const button = '.o-form-buttonbox button[name="action_crm_phone_calls"]';
                if (!document.querySelector(button)) {
                    document.querySelector(".o-form-buttonbox .o_button_more").click();
                }
            },
        },
        {
            content: "open the customer's calls",
            trigger: "button[name='action_crm_phone_calls']",
            run: "click",
        },
        {
            content: "the incoming call is in the call log",
            trigger: ".o_list_view .o_data_row:contains('Tour Telefon GmbH'):contains('Missed')",
        },
        {
            content: "back to the customer (the form reloads it with the finished call)",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Tour Telefon GmbH')",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_breadcrumb:contains('Tour Telefon GmbH')",
        },
        {
            content: "the (missed) call is in the customer's chronicle, on resubmission",
            trigger: ".o_notebook a[name='crm_chronicle'], .o_notebook .nav-link:contains('Chronicle')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='crm_chronicle_entry_ids'] .o_data_row:contains('Missed call: Tour Telefon GmbH')",
        },
    ],
});
