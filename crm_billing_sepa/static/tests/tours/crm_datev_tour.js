/* global luxon */
import {registry} from "@web/core/registry";

const lastMonth = luxon.DateTime.now().minus({months: 1});
const first = lastMonth.startOf("month").toISODate();
const last = lastMonth.endOf("month").toISODate();

registry.category("web_tour.tours").add("crm_datev_tour", {
    steps: () => [
        {
            content: "the accountant opens the DATEV exports",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "last month is proposed",
            trigger: `.oe_title .o_field_widget[name="name"]:contains("${first} - ${last}")`,
        },
        {
            trigger: 'button[name="action_export"]',
            run: "click",
        },
        {
            content: "exported",
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Exported")',
        },
        {
            content: "the file is there to download",
            trigger: '.o_field_widget[name="file"]:contains("DATEV_")',
        },
        {
            trigger: '.o_field_widget[name="booking_count"]:contains("1")',
        },
    ],
});
