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

/**
 * A customer's correspondence at every size (issue 20): the subject whole, the Print button on
 * the screen - a phone shows cards (the list's columns left the subject 89 px there and its
 * buttons off-screen). Run by tests/test_ui_sizes.py.
 */
registry.category("web_tour.tours").add("crm_chronicle_correspondence_size_tour", {
    steps: () => [
        {
            content: "the entry's row or card, its subject whole",
            trigger:
                ".o_data_row:contains(Angebot Sommerkatalog besprochen), .o_kanban_record:contains(Angebot Sommerkatalog besprochen)",
            run() {
                // a list cell has the field's name; a card renders the field as a bare span
                const name =
                    this.anchor.querySelector("[name=name]") ||
                    [...this.anchor.querySelectorAll("span")].find(
                        (span) => span.textContent.trim() === "Angebot Sommerkatalog besprochen"
                    );
                if (!name) {
                    throw new Error(`no subject in: ${this.anchor.innerText}`);
                }
                const text = name.querySelector("span") || name;
                if (name.scrollWidth > name.clientWidth + 1 || text.scrollWidth > text.clientWidth + 1) {
                    throw new Error(`subject cut: ${name.clientWidth}/${name.scrollWidth}px`);
                }
                if (this.anchor.getBoundingClientRect().right > window.innerWidth + 0.5 &&
                    this.anchor.matches(".o_kanban_record")) {
                    throw new Error("the card is wider than the screen");
                }
            },
        },
        {
            // (an entry prints with nothing; the test posted an invoice, which prints)
            content: "a printable row's Print button is on the screen",
            trigger:
                ".o_data_row button[name=action_print]:visible, .o_kanban_record button[name=action_print]:visible",
            run() {
                const box = this.anchor.getBoundingClientRect();
                if (box.width < 10 || box.right > window.innerWidth + 0.5) {
                    throw new Error(`Print off-screen: ${box.left}-${box.right}`);
                }
            },
        },
    ],
});
