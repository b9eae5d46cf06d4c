import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("crm_routing_plan_tour", {
    steps: () => [
        {
            content: "search the tour customers",
            trigger: ".o_searchview_input",
            run: "edit Tourkunde",
        },
        {
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "the filter is applied",
            trigger: ".o_searchview_facet:contains(Tourkunde)",
        },
        {
            content: "exactly the three tour customers listed",
            trigger: ".o_list_view .o_data_row:nth-child(3):last-child",
        },
        {
            content: "select them all",
            trigger: "thead .o_list_record_selector input",
            run: "click",
        },
        {
            content: "open the Actions menu (not the Print menu beside it)",
            trigger: ".o_control_panel_actions .o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            trigger: ".o-dropdown--menu .o-dropdown-item:contains(Plan Route)",
            run: "click",
        },
        {
            content: "the wizard lists the selection",
            trigger: ".modal .o_field_widget[name=partner_ids] .o_data_row:nth-child(3)",
        },
        {
            trigger: '.modal .o_field_widget[name="name"] input',
            run: "edit Tour Route Dresden",
        },
        {
            trigger: ".modal footer button[name=action_plan]",
            run: "click",
        },
        {
            content: "the saved route with its optimised stops",
            trigger:
                ".o_form_view .o_field_widget[name=stop_ids] .o_data_row:nth-child(3)",
        },
        {
            trigger: '.o_form_view .o_field_widget[name="total_distance"]',
            run() {
                const km = parseFloat(this.anchor.textContent.replace(",", "."));
                if (!(km > 0)) {
                    throw new Error(`no distance on the route: "${this.anchor.textContent}"`);
                }
            },
        },
    ],
});
