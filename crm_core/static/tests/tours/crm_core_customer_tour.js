import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_utils";

registry.category("web_tour.tours").add("crm_core_customer_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: '.o_app[data-menu-xmlid="crm_core.crm_suite_menu_root"]',
            run: "click",
        },
        {
            trigger: ".o-kanban-button-new, .o_list_button_add",
            run: "click",
        },
        {
            trigger: '.o_field_widget[name="name"] input',
            run: "edit Tour Kunde GmbH",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "the new customer got a debtor number",
            trigger: '.o_form_saved .o_field_widget[name="crm_debtor_number"] input',
            run() {
                if (!/^\d{5,}$/.test(this.anchor.value)) {
                    throw new Error(`no debtor number, got "${this.anchor.value}"`);
                }
            },
        },
    ],
});
