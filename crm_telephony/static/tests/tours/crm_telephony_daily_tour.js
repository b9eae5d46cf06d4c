import {registry} from "@web/core/registry";

/**
 * The daily work of a salesperson (issue 20), started where it starts in the office: the
 * Customers menu's search box. Run at 1440x900, 1024x768 and 390x844 in German and Czech by
 * crm_telephony/tests/test_ui_daily.py, which checks what the TR-064 peer was asked to dial
 * and the call recorded.
 *
 * The customer and its texts are the test's (no demo record): "Suchtest Elbwiesen GmbH",
 * phone +49 35207 81234, Moritzburg 01468.
 */
const NAME = "Suchtest Elbwiesen GmbH";
// the search option of crm_core's City field (translated by crm_core), in each language run
const CITY_OPTION = ["City or ZIP", "Ort oder PLZ", "Obec nebo PSČ"];
const RECORDS = ".o_data_row, .o_kanban_record:not(.o_kanban_ghost)";
// a row or a card containing `text` (the tour's selector engine splits a comma in an is())
// (no blank after the record without `inner`: the engine read it as "any descendant", and
// the step got a list row's empty checkbox cell)
function record(text, inner = "") {
    const tail = inner ? ` ${inner}` : "";
    return `.o_data_row:contains('${text}')${tail}, .o_kanban_record:contains('${text}')${tail}`;
}

function searchSteps(text, option) {
    return [
        {
            content: "the Customers menu shows its records",
            trigger: RECORDS,
            run() {
                // a phone hides the search bar behind a button
                const input = document.querySelector(".o_searchview_input");
                if (!input || !input.offsetParent) {
                    document.querySelector(".o_control_panel button:has(> .fa-search)").click();
                }
            },
        },
        {
            content: `type "${text}" into the search box`,
            trigger: ".o_searchview_input:visible",
            run: `edit ${text}`,
        },
        {
            content: option
                ? "choose the City or ZIP option"
                : "the first option (Name), what Enter takes",
            trigger: option
                ? CITY_OPTION.map(
                      (label) => `.o-dropdown-item:contains('${label}'):contains('${text}')`
                  ).join(", ")
                : `.o-dropdown-item:contains('${text}')`,
            run: "click",
        },
        {
            content: "the search found the customer, and only it",
            trigger: `.o_searchview_facet:contains('${text}')`,
        },
        {
            trigger: record(NAME),
            async run() {
                // the facet shows before the view has reloaded: wait up to 5 s for the
                // records of the search (the customer stays shown among the old ones)
                let shown = [...document.querySelectorAll(RECORDS)];
                for (let i = 0; i < 50 && shown.length !== 1; i++) {
                    await new Promise((resolve) => setTimeout(resolve, 100));
                    shown = [...document.querySelectorAll(RECORDS)];
                }
                if (shown.length !== 1) {
                    throw new Error(
                        `${shown.length} records for "${text}": ${shown.map((r) => r.innerText.split("\n")[0]).join(" | ")}`
                    );
                }
            },
        },
        {
            content: "open the customer",
            // a list row's name cell; a card's name (a kanban renders the field as text)
            trigger: `.o_data_row:contains('${NAME}') td[name='complete_name'], .o_kanban_record:contains('${NAME}') span:contains('${NAME}')`,
            run: "click",
        },
        {
            content: "its form is loaded: the customer's name",
            trigger: ".o_form_view .o_field_widget[name='name'] :is(input, textarea)",
            run() {
                if (this.anchor.value !== NAME) {
                    throw new Error(`another form opened: ${this.anchor.value}`);
                }
            },
        },
        {
            content: "its chatter too (a click while the form renders got lost)",
            trigger: ".o_form_view .o-mail-Chatter .o-mail-Thread",
        },
    ];
}

registry.category("web_tour.tours").add("crm_telephony_daily_search_name_tour", {
    steps: () => [
        ...searchSteps("Suchtest Elbw"),
        {
            content: "no calls yet: no Calls button",
            trigger: ".o_form_view",
            run() {
                const button = document.querySelector("button[name='action_crm_phone_calls']");
                if (button) {
                    throw new Error(`a Calls button before the first call: ${button.innerText}`);
                }
            },
        },
        {
            content: "the whole number, the dial button beside it: dial",
            trigger: ".o_form_view .o_field_widget[name='phone'] .o_crm_dial:visible",
            run(helpers) {
                const field = this.anchor.closest(".o_field_phone");
                const number = field.querySelector("input, a.o_form_uri");
                if (number.scrollWidth > number.clientWidth + 2) {
                    throw new Error(`number cut: ${number.clientWidth}/${number.scrollWidth}px`);
                }
                return helpers.click();
            },
        },
        {
            content: "the box rings the salesperson's phone, then dials the customer",
            trigger: ".o_notification:contains('**621'):contains('03520781234')",
        },
        {
            content: "the call is recorded: the form shows the Calls button (behind More on a phone)",
            trigger: ".o_form_view .o-form-buttonbox",
            run() {
                const visible = [
                    ...document.querySelectorAll("button[name='action_crm_phone_calls']"),
                ].some((b) => b.offsetParent);
                if (!visible) {
                    const more = document.querySelector(".o-form-buttonbox .o_button_more");
                    if (more) {
                        more.click();
                    }
                }
            },
        },
        {
            trigger: "button[name='action_crm_phone_calls']:visible:contains('1')",
            run: "click",
        },
        {
            content: "the call: to the customer's number (a list; on a phone, cards)",
            trigger: record("+49 35207 81234"),
            run() {
                const rows = document.querySelectorAll(RECORDS);
                if (rows.length !== 1) {
                    throw new Error(`${rows.length} calls listed`);
                }
                const text = this.anchor.innerText;
                if (!text.includes(NAME)) {
                    throw new Error(`the call names no customer: ${text}`);
                }
                // a phone shows the whole customer name and the dial button on screen
                const dial = this.anchor.querySelector(".o_crm_dial");
                if (dial && dial.getBoundingClientRect().right > window.innerWidth + 0.5) {
                    throw new Error("the dial button is off-screen");
                }
            },
        },
    ],
});

registry.category("web_tour.tours").add("crm_telephony_daily_search_phone_tour", {
    steps: () => [
        ...searchSteps("035207/81234"),
        {
            trigger: ".o_form_view .o_field_widget[name='phone'] .o_crm_dial:visible",
        },
    ],
});

registry.category("web_tour.tours").add("crm_telephony_daily_search_city_tour", {
    steps: () => [
        ...searchSteps("Moritzburg", "city"),
        {
            trigger: ".o_form_view .o_field_widget[name='phone'] .o_crm_dial:visible",
        },
    ],
});
