import {registry} from "@web/core/registry";

/**
 * Open today's route and navigate to the next stop (issue 20), at desktop, iPad (1024x768)
 * and phone (390x844) sizes (tests/test_ui_sizes.py). The maps link the button opens is
 * caught instead of leaving the page.
 */
registry.category("web_tour.tours").add("crm_routing_today_tour", {
    steps: () => [
        {
            content: "the route shows its stops",
            trigger: ".o_form_view .o_field_widget[name=stop_ids]:contains(Navi Erster Halt)",
        },
        {
            content: "the distance reads with its unit once: 0.0 km, not Distance (km) 0.0",
            trigger: ".o_form_view div[name=total_distance]:contains(km)",
            run() {
                const sheet = document.querySelector(".o_form_view .o_form_sheet").innerText;
                if (sheet.includes("Distance (km)")) {
                    throw new Error("the form still labels the distance 'Distance (km)'");
                }
                if (!/0[.,]0\s*km/.test(this.anchor.innerText)) {
                    throw new Error(`the distance reads "${this.anchor.innerText}"`);
                }
            },
        },
        {
            content: "the stops' names are whole, not cut (an iPad's width and up)",
            trigger: ".o_form_view .o_field_widget[name=stop_ids] .o_data_row td[name=partner_id]",
            run() {
                if (window.innerWidth < 768) {
                    return; // a phone: the stops are cards
                }
                for (const cell of document.querySelectorAll(
                    ".o_field_widget[name=stop_ids] .o_data_row td[name=partner_id]"
                )) {
                    if (cell.scrollWidth > cell.clientWidth + 1) {
                        throw new Error(
                            `stop name cut: "${cell.innerText}" ${cell.clientWidth}/${cell.scrollWidth}px`
                        );
                    }
                }
            },
        },
        {
            content: "catch the maps link; open the header's menu where a phone folds the buttons",
            trigger: ".o_form_view .o_form_statusbar",
            run() {
                const {browser} = odoo.loader.modules.get("@web/core/browser/browser");
                browser.open = (url) => {
                    document.body.dataset.crmNavigated = url;
                };
                const button = document.querySelector("button[name=action_navigate_next_stop]");
                if (!button || !button.offsetParent) {
                    document
                        .querySelector(".o_form_statusbar .o_statusbar_buttons .dropdown-toggle")
                        .click();
                }
            },
        },
        {
            content: "navigate to the next stop",
            trigger: "button[name=action_navigate_next_stop]:visible",
            run: "click",
        },
        {
            content: "directions to the first stop still to visit",
            trigger: "body[data-crm-navigated*='destination=51.060000%2C13.760000']",
        },
    ],
});
