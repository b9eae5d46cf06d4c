import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_utils";

/**
 * The Customers menu opens on customers - companies and private persons with the customer
 * role - not on every partner; prospects and suppliers are one click beside it (issue 20).
 */
registry.category("web_tour.tours").add("crm_core_menu_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: '.o_app[data-menu-xmlid="crm_core.crm_suite_menu_root"]',
            run: "click",
        },
        {
            content: "the list, to see all rows",
            trigger: "button.o_switch_view.o_list",
            run: "click",
        },
        {
            content: "search the tour's partners (the role facet stays)",
            trigger: ".o_searchview_input",
            run: "edit Menutour && press Enter",
        },
        {
            content: "the customer is listed",
            trigger: ".o_list_view .o_data_row:contains(Menutour Kunde GmbH)",
        },
        {
            content: "not its contact person, not a supplier, not a prospect",
            trigger: ".o_list_view .o_data_row:contains(Menutour Kunde GmbH)",
            run() {
                const text = document.querySelector(".o_list_view tbody").textContent;
                for (const name of ["Menutour Ansprech", "Menutour Lieferant AG", "Menutour Interessent"]) {
                    if (text.includes(name)) {
                        throw new Error(`${name} is listed under Customers`);
                    }
                }
            },
        },
        {
            content: "Prospects, one click away",
            trigger: '[data-menu-xmlid="crm_core.res_partner_menu_prospects"]',
            run: "click",
        },
        {
            trigger: ".o_breadcrumb:contains(Prospects)",
        },
        {
            trigger: "button.o_switch_view.o_list",
            run: "click",
        },
        {
            content: "search the tour's partners (the role facet stays)",
            trigger: ".o_searchview_input",
            run: "edit Menutour && press Enter",
        },
        {
            content: "the prospect, and not the customer",
            trigger:
                ".o_list_view:not(:has(.o_data_row:contains(Menutour Kunde GmbH))) .o_data_row:contains(Menutour Interessent)",
        },
        {
            content: "Suppliers, one click away",
            trigger: '[data-menu-xmlid="crm_core.res_partner_menu_suppliers"]',
            run: "click",
        },
        {
            trigger: ".o_breadcrumb:contains(Suppliers)",
        },
        {
            trigger: "button.o_switch_view.o_list",
            run: "click",
        },
        {
            content: "search the tour's partners (the role facet stays)",
            trigger: ".o_searchview_input",
            run: "edit Menutour && press Enter",
        },
        {
            content: "the supplier",
            trigger:
                ".o_list_view:not(:has(.o_data_row:contains(Menutour Kunde GmbH))) .o_data_row:contains(Menutour Lieferant AG)",
        },
    ],
});

/** A customer's whole name in the list, also on an iPad (issue 20: cut to 8 characters). */
registry.category("web_tour.tours").add("crm_core_list_names_tour", {
    steps: () => [
        {
            trigger: ".o_searchview_input",
            run: "edit Getränkehandel && press Enter",
        },
        {
            content: "the whole name is shown",
            trigger: ".o_list_view .o_data_row td[name=complete_name]:contains(Getränkehandel)",
            run() {
                if (this.anchor.scrollWidth > this.anchor.clientWidth + 1) {
                    throw new Error(
                        `name cut: ${this.anchor.clientWidth}/${this.anchor.scrollWidth}px`
                    );
                }
            },
        },
    ],
});

/**
 * The customer list at 1440x900 (issue 20): name, e-mail and country whole (Odoo's statistics
 * and activities columns, hidden by default now, squeezed e-mail and country to 89 px).
 */
registry.category("web_tour.tours").add("crm_core_list_columns_tour", {
    steps: () => [
        {
            trigger: ".o_searchview_input",
            run: "edit Spaltentest && press Enter",
        },
        {
            content: "name, e-mail and country are whole",
            trigger: ".o_list_view .o_data_row:contains(Spaltentest)",
            run() {
                const cell = (name) => {
                    const td = this.anchor.querySelector(`td[name=${name}]`);
                    if (!td) {
                        throw new Error(`no ${name} column`);
                    }
                    return td;
                };
                for (const field of ["complete_name", "email", "country_id"]) {
                    const td = cell(field);
                    const text = td.querySelector("a, span, div") || td;
                    if (td.scrollWidth > td.clientWidth + 1 || text.scrollWidth > text.clientWidth + 1) {
                        throw new Error(
                            `${field} cut: "${td.innerText}" ${td.clientWidth}/${td.scrollWidth}px, ${text.clientWidth}/${text.scrollWidth}px`
                        );
                    }
                }
            },
        },
    ],
});
