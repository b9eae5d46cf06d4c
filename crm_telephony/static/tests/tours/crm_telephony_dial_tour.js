import {registry} from "@web/core/registry";

/**
 * Click to dial from every phone field: run at desktop size, at an iPad's (1024x768) and
 * at a phone's viewport (390x844, touch) by crm_telephony/tests/test_ui.py, which checks
 * what the TR-064 peer was asked to dial.
 */
registry.category("web_tour.tours").add("crm_telephony_dial_partner_tour", {
    steps: () => [
        {
            content: "the form is loaded, its chatter too (a click while it renders got lost)",
            trigger: ".o_form_view .o-mail-Chatter .o-mail-Thread",
        },
        {
            content: "the whole number is readable and the dial button on screen (a phone showed '+49 8')",
            trigger: ".o_form_view .o_field_widget[name='phone'] .o_crm_dial:visible",
            run() {
                const field = this.anchor.closest(".o_field_phone");
                const number = field.querySelector("input, a.o_form_uri");
                if (number.scrollWidth > number.clientWidth + 2) {
                    throw new Error(`number cut: ${number.clientWidth}/${number.scrollWidth}px`);
                }
                const button = this.anchor.getBoundingClientRect();
                if (button.right > window.innerWidth + 0.5 || button.left < 0) {
                    throw new Error(`dial button off-screen: ${button.left}-${button.right}`);
                }
            },
        },
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

/**
 * What a user reads when click to dial cannot work (issue 20): without a box, a muted
 * button that says what to set up; with an unreachable box, a notification naming the box
 * and the reason (no error dialog, no library text).
 */
registry.category("web_tour.tours").add("crm_telephony_dial_hint_tour", {
    steps: () => [
        {
            content: "without a Fritz!Box the phone field shows a muted dial button",
            trigger: ".o_form_view .o_field_widget[name='phone'] .o_crm_dial.o_crm_dial_hint:visible",
            run: "click",
        },
        {
            content: "it says what is missing and where to set it",
            trigger: ".o_notification:contains('No Fritz!Box is set for you'):contains('Telephony')",
        },
    ],
});

registry.category("web_tour.tours").add("crm_telephony_dial_unreachable_tour", {
    steps: () => [
        {
            trigger: ".o_form_view .o_field_widget[name='phone'] .o_crm_dial:visible",
            run: "click",
        },
        {
            content: "a notification names the box and why it could not dial",
            trigger: ".o_notification:contains('Could not dial'):contains('Unreachable')",
            run() {
                if (document.querySelector(".modal")) {
                    throw new Error("an error dialog opened");
                }
                const text = this.anchor.textContent;
                for (const raw of ["urllib3", "HTTPConnectionPool", "Max retries", "Errno"]) {
                    if (text.includes(raw)) {
                        throw new Error(`library text in the message: ${text}`);
                    }
                }
            },
        },
    ],
});

registry.category("web_tour.tours").add("crm_telephony_dial_list_tour", {
    steps: () => [
        {
            content: "the dial button of a list row is whole inside its cell",
            trigger: ".o_list_view .o_data_row:contains('Dial Telefon GmbH') .o_crm_dial:visible",
            run() {
                const button = this.anchor.getBoundingClientRect();
                const cell = this.anchor.closest("td").getBoundingClientRect();
                if (button.width < 10 || button.left < cell.left || button.right > cell.right + 0.5) {
                    throw new Error(
                        `dial button ${button.left}-${button.right} cut by its cell ${cell.left}-${cell.right}`
                    );
                }
                const number = this.anchor.closest("td").querySelector("a.o_form_uri");
                if (number.scrollWidth > number.clientWidth + 1) {
                    throw new Error(`the number is cut: ${number.clientWidth}/${number.scrollWidth}px`);
                }
            },
        },
        {
            content: "a +420 number: whole, the dial button beside it, not wrapped below",
            trigger: ".o_list_view .o_data_row:contains('Dial Praha') .o_crm_dial:visible",
            run() {
                checkBesideNumber(this.anchor);
                const button = this.anchor.getBoundingClientRect();
                const cell = this.anchor.closest("td").getBoundingClientRect();
                if (button.right > cell.right + 0.5) {
                    throw new Error(`dial button cut by its cell: ${button.right} > ${cell.right}`);
                }
            },
        },
    ],
});

function checkBesideNumber(button) {
    const field = button.closest(".o_field_phone");
    const number = field.querySelector("input, a.o_form_uri");
    const n = number.getBoundingClientRect();
    const b = button.getBoundingClientRect();
    if (number.scrollWidth > number.clientWidth + 2 || n.width < 40) {
        throw new Error(
            `number cut: ${number.clientWidth}/${number.scrollWidth}px, ${Math.round(n.width)}px wide`
        );
    }
    if (b.top >= n.bottom || b.bottom <= n.top) {
        throw new Error(`the dial button wrapped below the number (${b.top} vs ${n.top}-${n.bottom})`);
    }
    if (b.right > window.innerWidth + 0.5) {
        throw new Error(`dial button off-screen: ${b.left}-${b.right}`);
    }
}

/**
 * Foreign numbers (+352, +420: longer than German ones) on a customer's form: the whole
 * number, the dial button beside it and not wrapped below (issue 20, iPad), and the number
 * and e-mail not cut on a phone. Run at 1440x900, 1024x768 and 390x844.
 */
registry.category("web_tour.tours").add("crm_telephony_dial_layout_form_tour", {
    steps: () => [
        {
            content: "the form is loaded, its chatter too",
            trigger: ".o_form_view .o-mail-Chatter .o-mail-Thread",
        },
        {
            content: "the whole number, the dial button beside it",
            trigger: ".o_form_view .o_field_widget[name='phone'] .o_crm_dial:visible",
            run() {
                checkBesideNumber(this.anchor);
            },
        },
        {
            content: "the name and the e-mail are whole",
            trigger: ".o_form_view .o_field_widget[name='email'] input",
            run() {
                for (const name of ["name", "email"]) {
                    const input = document.querySelector(
                        `.o_form_view .o_field_widget[name='${name}'] input, .o_form_view .o_field_widget[name='${name}'] textarea`
                    );
                    if (input.scrollWidth > input.clientWidth + 2) {
                        throw new Error(
                            `${name} cut: "${input.value}" ${input.clientWidth}/${input.scrollWidth}px`
                        );
                    }
                }
            },
        },
    ],
});

/** The customer's card in the Customers kanban (a phone's default view): icon and number. */
registry.category("web_tour.tours").add("crm_telephony_dial_layout_card_tour", {
    steps: () => [
        {
            content: "on a phone the search bar is behind its button: open it",
            trigger: ".o_kanban_renderer .o_kanban_record",
            run() {
                const input = document.querySelector(".o_searchview_input");
                if (!input || !input.offsetParent) {
                    document.querySelector(".o_control_panel button:has(> .fa-search)").click();
                }
            },
        },
        {
            trigger: ".o_searchview_input:visible",
            run: "edit Dial Praha && press Enter",
        },
        {
            content: "the card shows the number beside the phone icon, and the dial button",
            trigger:
                ".o_kanban_record:contains('Dial Praha') .o_field_widget[name='phone'] .o_crm_dial:visible",
            run() {
                const card = this.anchor.closest(".o_kanban_record");
                const link = card.querySelector(".o_field_widget[name='phone'] a.o_form_uri");
                if (!link || !link.innerText.includes("+420")) {
                    throw new Error(`no number on the card: ${card.innerText}`);
                }
                checkBesideNumber(this.anchor);
                const icon = this.anchor
                    .closest(".o_field_widget")
                    .parentElement.querySelector(":scope > .fa-phone");
                if (icon) {
                    const i = icon.getBoundingClientRect();
                    const n = link.getBoundingClientRect();
                    if (i.top >= n.bottom || i.bottom <= n.top) {
                        throw new Error("the phone icon stands on a line of its own");
                    }
                }
            },
        },
    ],
});
