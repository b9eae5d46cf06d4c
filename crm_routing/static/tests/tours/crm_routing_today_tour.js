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
