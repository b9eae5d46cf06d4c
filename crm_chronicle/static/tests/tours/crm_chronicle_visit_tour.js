import {registry} from "@web/core/registry";

/**
 * Log a visit with a resubmission from the customer's Chronicle tab (issue 20), at desktop,
 * iPad (1024x768) and phone (390x844) sizes (tests/test_ui_sizes.py).
 */
registry.category("web_tour.tours").add("crm_chronicle_visit_tour", {
    steps: () => {
        const nextWeek = luxon.DateTime.now().plus({days: 7}).set({hour: 9, minute: 0});
        return [
            {
                content: "the Chronicle tab of the customer",
                trigger: ".o_notebook a[name=crm_chronicle]",
                run: "click",
            },
            {
                content: "log an entry",
                trigger: "button[name=action_new_crm_chronicle_entry]:visible",
                run: "click",
            },
            {
                content: "choose the type (a dropdown, or on a phone a list to pick from)",
                trigger: ".modal .o_field_widget[name=type_id] input",
                run: "click",
            },
            {
                content: "a visit",
                trigger:
                    ".o-autocomplete--dropdown-menu .dropdown-item:contains(Visit), .o_dialog .o_kanban_record:contains(Visit), .o_dialog .o_data_row:contains(Visit)",
                run: "click",
            },
            {
                trigger: ".modal .o_field_widget[name=type_id] input:value(Visit)",
            },
            {
                trigger: ".modal .o_field_widget[name=name] input",
                run: "edit Visit: new catalogue shown",
            },
            {
                content: "back in a week",
                trigger: ".modal .o_field_widget[name=resubmission_date] input",
                run: `edit ${nextWeek.toFormat("MM/dd/yyyy HH:mm:ss")}`,
            },
            {
                content: "leave the date (closes its picker)",
                trigger: ".modal .o_field_widget[name=name] input",
                run: "click",
            },
            {
                content: "open before saving (a phone shows the state as one dropdown)",
                trigger:
                    ".modal .o_statusbar_status:has(button.o_arrow_button_current[data-value=open]), .modal .o_statusbar_status button.dropdown-toggle:not(.o_first.o_last):contains(Open)",
            },
            {
                content: "to the current user",
                trigger:
                    ".modal .o_field_widget[name=resubmission_user_id] input:value(Mitchell Admin), .modal .o_field_widget[name=resubmission_user_id]:contains(Mitchell Admin)",
            },
            {
                trigger: ".modal .o_form_button_save",
                run: "click",
            },
            {
                content: "the visit is in the tab, open (bold)",
                trigger:
                    "body:not(:has(.modal)) .o_field_widget[name=crm_chronicle_entry_ids] .o_data_row:contains(Visit: new catalogue shown)",
            },
        ];
    },
});
