import {registry} from "@web/core/registry";

/**
 * "My Resubmissions" opens on what is due (issue 20): at every size - a phone shows one
 * column at a time - the first column is Today with today's item, no empty "Overdue (0)".
 * Run at desktop, iPad (1024x768) and phone (390x844) sizes by tests/test_ui_sizes.py.
 */
registry.category("web_tour.tours").add("crm_chronicle_today_tour", {
    steps: () => [
        {
            content: "the first column is Today, with today's resubmission",
            trigger:
                ".o_kanban_renderer .o_kanban_group:first-child:has(.o_column_title:contains(Today)) .o_kanban_record:contains(Heute zurückrufen)",
        },
        {
            content: "no empty Overdue column in front of it",
            trigger: ".o_kanban_renderer:not(:has(.o_column_title:contains(Overdue)))",
        },
        {
            content: "the item is on screen, not cut off by the viewport",
            trigger: ".o_kanban_record:contains(Heute zurückrufen)",
            run() {
                const box = this.anchor.getBoundingClientRect();
                if (box.left < 0 || box.right > window.innerWidth + 0.5 || box.width < 150) {
                    throw new Error(`today's card at ${box.left}-${box.right} of ${window.innerWidth}`);
                }
            },
        },
    ],
});

/**
 * The menu's default view (a list grouped by due date from an iPad's width on, kanban on a
 * phone): today's item is shown at once, its group not folded (issue 20: on an iPad the
 * list opened with every group closed).
 */
registry.category("web_tour.tours").add("crm_chronicle_today_default_tour", {
    steps: () => [
        {
            content: "today's resubmission is shown without unfolding anything",
            trigger:
                ".o_list_view .o_data_row:contains(Heute zurückrufen), .o_kanban_view .o_kanban_record:contains(Heute zurückrufen)",
        },
    ],
});
