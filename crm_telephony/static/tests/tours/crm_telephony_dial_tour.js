import {registry} from "@web/core/registry";

/**
 * Click to dial from every phone field: run at desktop size and at a phone's viewport
 * (375x667, touch) by crm_telephony/tests/test_ui.py, which checks what the TR-064 peer was
 * asked to dial.
 */
registry.category("web_tour.tours").add("crm_telephony_dial_partner_tour", {
    steps: () => [
        {
            content: "the customer's (editable) phone field has a dial button",
            trigger: ".o_form_view .o_field_widget[name='phone'] .o_crm_dial:visible",
            run: "click",
        },
        {
            content: "the box rings the user's phone, then dials the customer",
            trigger: ".o_notification:contains('**610'):contains('03514445566')",
        },
        {
            content: "the contact person's card (read-only phone) has a dial button",
            trigger:
                ".o_field_widget[name='child_ids'] .o_kanban_record:contains('Dial Kontakt') .o_crm_dial:visible",
            run: "click",
        },
        {
            content: "the box dials the contact person, no dialog opened by the card",
            trigger: ".o_notification:contains('03514445577')",
            run() {
                if (document.querySelector(".modal .o_form_view")) {
                    throw new Error("the dial button opened the contact person's card");
                }
            },
        },
    ],
});

registry.category("web_tour.tours").add("crm_telephony_dial_chronicle_tour", {
    steps: () => [
        {
            content: "the chronicle entry shows the partner's phone, read-only, with dial",
            trigger:
                ".o_form_view .o_field_widget[name='crm_partner_phone'] a[href^='tel:']:contains('+49 351 4445566')",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='crm_partner_phone'] .o_crm_dial:visible",
            run: "click",
        },
        {
            content: "the box dials the customer",
            trigger: ".o_notification:contains('**610'):contains('03514445566')",
        },
    ],
});
