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
            content: "the wizard's map shows the three selected customers",
            trigger: ".modal .o_crm_route_map .leaflet-marker-pane .o_crm_route_marker_stop:nth-child(3)",
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
        {
            content: "open the map",
            trigger: ".o_form_view .o_notebook a[name=map]",
            run: "click",
        },
        {
            content: "three numbered stops on the map",
            trigger: ".o_crm_route_map .leaflet-marker-pane .o_crm_route_marker_stop:contains(3)",
            run() {
                const pane = document.querySelector(".o_crm_route_map .leaflet-marker-pane");
                const labels = [...pane.querySelectorAll(".o_crm_route_marker_stop")].map(
                    (el) => el.textContent.trim()
                );
                if (labels.sort().join() !== "1,2,3") {
                    throw new Error(`stop markers: ${labels}`);
                }
                if (!pane.querySelector(".o_crm_route_marker_start")) {
                    throw new Error("no start marker");
                }
            },
        },
        {
            content: "the route is drawn as a line",
            trigger: ".o_crm_route_map .leaflet-overlay-pane path.leaflet-interactive",
        },
        {
            content: "background tiles came from the configured tile server",
            trigger: ".o_crm_route_map .leaflet-tile-pane img.leaflet-tile-loaded",
        },
    ],
});

registry.category("web_tour.tours").add("crm_routing_map_offline_tour", {
    steps: () => [
        {
            content: "a stop without opening hours shows none, not 00:00",
            trigger: ".o_form_view .o_field_widget[name=stop_ids] .o_data_row:nth-child(2)",
            run() {
                const rows = document.querySelectorAll(
                    ".o_form_view .o_field_widget[name=stop_ids] .o_data_row"
                );
                const cell = (row, name) =>
                    row.querySelector(`td[name=${name}]`).textContent.trim();
                const seen = [...rows].map((row) =>
                    [cell(row, "window_start"), cell(row, "window_end")].join("-")
                );
                if (seen.sort().join(" ") !== "- 09:00-12:00") {
                    throw new Error(`opening hours shown: ${seen.join(" | ")}`);
                }
            },
        },
        {
            trigger: ".o_form_view .o_notebook a[name=map]",
            run: "click",
        },
        {
            content: "markers drawn although no tile loads",
            trigger: ".o_crm_route_map .leaflet-marker-pane .o_crm_route_marker_stop:contains(2)",
        },
        {
            content: "numbers centred in their markers, start marker above the stop at the depot",
            trigger: ".o_crm_route_map .leaflet-marker-pane .o_crm_route_marker_start",
            run() {
                const markers = document.querySelectorAll(".o_crm_route_map .o_crm_route_marker");
                for (const marker of markers) {
                    const style = getComputedStyle(marker);
                    if (style.display !== "flex") {
                        throw new Error(`marker display ${style.display}, not flex`);
                    }
                    if (style.backgroundColor === "rgb(255, 255, 255)") {
                        throw new Error("leaflet's white div icon background wins over ours");
                    }
                    const box = marker.getBoundingClientRect();
                    const label = marker.querySelector("span").getBoundingClientRect();
                    const dx = box.left + box.width / 2 - (label.left + label.width / 2);
                    const dy = box.top + box.height / 2 - (label.top + label.height / 2);
                    if (Math.abs(dx) > 2 || Math.abs(dy) > 2) {
                        throw new Error(`label ${marker.textContent} off-centre by ${dx}, ${dy}`);
                    }
                }
                const z = (el) => parseInt(el.style.zIndex || "0");
                const start = document.querySelector(".o_crm_route_map .o_crm_route_marker_start");
                for (const stop of document.querySelectorAll(".o_crm_route_map .o_crm_route_marker_stop")) {
                    if (z(stop) >= z(start)) {
                        throw new Error(`stop ${stop.textContent} above the start marker`);
                    }
                }
            },
        },
        {
            content: "the route is drawn as a line",
            trigger: ".o_crm_route_map .o_crm_route_marker_start",
            run() {
                const pane = document.querySelector(".o_crm_route_map .leaflet-overlay-pane");
                if (!pane.querySelector("path")) {
                    throw new Error(`no line drawn: ${pane.innerHTML}`);
                }
            },
        },
        {
            content: "the page says the background is missing",
            trigger: ".o_crm_route_map_tile_note",
        },
        {
            content: "the order list still works",
            trigger: ".o_form_view .o_notebook a[name=stops]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=stop_ids] .o_data_row:nth-child(2)",
        },
        {
            content: "the route sheet can still be printed",
            trigger: ".o_form_view .o_form_statusbar button:contains(Route Sheet)",
        },
    ],
});
