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
