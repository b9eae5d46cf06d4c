import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("crm_chronicle_resubmission_tour", {
    steps: () => {
        // two days ahead: the browser's day (UTC here) and the user's (Europe/Berlin) differ
        // between 23:00 and 24:00 UTC, when "tomorrow" in the browser is today for the server
        const later = luxon.DateTime.now().plus({days: 2}).set({hour: 10, minute: 0});
        return [
            {
                content: "find the customer",
                trigger: ".o_searchview_input",
                run: "edit Tour Chronik GmbH && press Enter",
            },
            {
                content: "open the customer",
                trigger: ".o_kanban_record:contains(Tour Chronik GmbH)",
                run: "click",
            },
            {
                content: "the Chronicle tab of the customer",
                trigger: ".o_notebook a[name=crm_chronicle]",
                run: "click",
            },
            {
                content: "log an entry right there",
                trigger: ".o_notebook button[name=action_new_crm_chronicle_entry]",
                run: "click",
            },
            {
                content: "the customer is preset in the dialog",
                trigger: ".modal .o_field_widget[name=partner_id] input:value(Tour Chronik GmbH)",
            },
            {
                content: "subject of the tab's entry",
                trigger: ".modal .o_field_widget[name=name] input",
                run: "edit Tour note from the tab",
            },
            {
                content: "a new entry without resubmission is done and offers no state button",
                trigger:
                    ".modal .o_statusbar_status:has(button.o_arrow_button_current[data-value=done])",
                run() {
                    const buttons = ".modal button[name=action_reopen], .modal button[name=action_done]";
                    if (document.querySelector(buttons)) {
                        throw new Error("a new entry offers Mark Done / Reopen");
                    }
                },
            },
            {
                content: "save the entry",
                trigger: ".modal .o_form_button_save",
                run: "click",
            },
            {
                content: "the tab shows the new entry",
                trigger: ".o_field_widget[name=crm_chronicle_entry_ids] .o_data_row:contains(Tour note from the tab)",
            },
            {
                content: "show the action_open_crm_chronicle smart button (it may be under More)",
                trigger: ".o_form_view .o-form-buttonbox",
                run() {
                    const button = '.o-form-buttonbox button[name="action_open_crm_chronicle"]';
                    if (!document.querySelector(button)) {
                        document.querySelector(".o-form-buttonbox .o_button_more").click();
                    }
                },
            },
            {
                content: "open its chronicle by the smart button",
                trigger: "button[name=action_open_crm_chronicle]",
                run: "click",
            },
            {
                content: "log a new entry",
                trigger: ".o_list_button_add",
                run: "click",
            },
            {
                content: "it is a phone call by default",
                trigger: ".o_field_widget[name=type_id] input:value(Phone Call)",
            },
            {
                content: "subject",
                trigger: ".o_field_widget[name=name] input",
                run: "edit Tour call about the offer",
            },
            {
                content: "the customer is preset",
                trigger: ".o_field_widget[name=partner_id] input:value(Tour Chronik GmbH)",
            },
            {
                content: "resubmission in two days",
                trigger: ".o_field_widget[name=resubmission_date] input",
                run: `edit ${later.toFormat("MM/dd/yyyy HH:mm:ss")} && press Escape`,
            },
            {
                content: "with a resubmission the new entry shows as open, to the current user",
                trigger: ".o_statusbar_status button.o_arrow_button_current[data-value=open]",
            },
            {
                content: "the resubmission user is filled in before saving",
                trigger: ".o_field_widget[name=resubmission_user_id] input:value(Mitchell Admin)",
            },
            {
                content: "no Reopen on a new entry",
                trigger: ".o_form_view:not(:has(button[name=action_reopen]))",
            },
            {
                content: "save",
                trigger: ".o_form_button_save",
                run: "click",
            },
            {
                content: "saved",
                trigger: ".o_form_saved",
            },
            {
                content: "saved: still open, with Mark Done and without Reopen",
                trigger:
                    ".o_form_view:has(.o_statusbar_status button.o_arrow_button_current[data-value=open]):has(button[name=action_done]):not(:has(button[name=action_reopen]))",
            },
            {
                content: "saved: the resubmission user is shown without reloading",
                trigger: ".o_form_saved",
                run() {
                    const input = document.querySelector(
                        ".o_field_widget[name=resubmission_user_id] input"
                    );
                    if (!input || input.value !== "Mitchell Admin") {
                        throw new Error(`resubmission user after saving: ${input?.value}`);
                    }
                },
            },
            {
                content: "open the Chronicle menu",
                trigger: "button[data-menu-xmlid='crm_chronicle.crm_chronicle_menu']",
                run: "click",
            },
            {
                content: "open My Resubmissions",
                trigger: "[data-menu-xmlid='crm_chronicle.crm_chronicle_resubmission_menu_my']",
                run: "click",
            },
            {
                content: "switch to the kanban by due bucket",
                trigger: "button.o_switch_view.o_kanban",
                run: "click",
            },
            {
                content: "the call is due in two days (this week or later)",
                trigger:
                    ".o_kanban_group:has(.o_column_title:contains(This Week), .o_column_title:contains(Later)) .o_kanban_record:contains(Tour call about the offer)",
            },
            {
                content: "mark it done",
                trigger:
                    ".o_kanban_record:contains(Tour call about the offer) button[name=action_open_done_wizard]",
                run: "click",
            },
            {
                content: "write the follow-up",
                trigger: ".modal .o_field_widget[name=subject] input",
                run: "edit Tour follow-up: offer accepted",
            },
            {
                content: "done",
                trigger: ".modal button[name=action_done]",
                run: "click",
            },
            {
                content: "it left the open resubmissions",
                trigger:
                    ".o_kanban_view:not(:has(.o_kanban_record:contains(Tour call about the offer)))",
            },
        ];
    },
});
