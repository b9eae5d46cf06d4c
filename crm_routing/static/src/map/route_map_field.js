/* global L */
import {Component, onWillStart, useEffect, useRef, useState} from "@odoo/owl";
import {loadCSS, loadJS} from "@web/core/assets";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {standardFieldProps} from "@web/views/fields/standard_field_props";

const LEAFLET = "/crm_routing/static/lib/leaflet/";

/**
 * A Leaflet map of a route (numbered stops, start/end and the polyline in visiting
 * order) or of a selection of partners, drawn from a JSON field computed on the server:
 *
 *   {tile_url, attribution,
 *    points: [{lat, lon, label, name, address, kind: "start"|"end"|"stop", state}],
 *    line: [[lat, lon], ...] (the route in visiting order, may be empty),
 *    missing: [names without a position]}
 *
 * Leaflet is bundled with the addon and loaded when the widget is first shown. The
 * background tiles come from the configured tile server; when they cannot load, the
 * markers, the line and the rest of the page still work and a note says so.
 */
export class CrmRouteMapField extends Component {
    static template = "crm_routing.RouteMapField";
    static props = {...standardFieldProps};

    setup() {
        this.mapRef = useRef("map");
        this.state = useState({tileErrors: 0, tilesLoaded: 0});
        this.layers = null;
        onWillStart(() =>
            Promise.all([loadJS(LEAFLET + "leaflet.js"), loadCSS(LEAFLET + "leaflet.css")])
        );
        useEffect(
            () => {
                this.map = L.map(this.mapRef.el, {zoomControl: true});
                this.layers = L.layerGroup().addTo(this.map);
                return () => {
                    this.map.remove();
                    this.map = null;
                };
            },
            () => []
        );
        useEffect(
            (data) => this.draw(data || {}),
            () => [this.props.record.data[this.props.name]]
        );
    }

    get data() {
        return this.props.record.data[this.props.name] || {};
    }

    get missing() {
        return this.data.missing || [];
    }

    get tilesFailed() {
        return this.state.tileErrors > 0 && this.state.tilesLoaded === 0;
    }

    draw(data) {
        const map = this.map;
        if (data.tile_url !== this.tileUrl) {
            if (this.tileLayer) {
                this.tileLayer.remove();
            }
            this.tileUrl = data.tile_url;
            this.state.tileErrors = 0;
            this.state.tilesLoaded = 0;
            if (data.tile_url) {
                this.tileLayer = L.tileLayer(data.tile_url, {
                    maxZoom: 19,
                    attribution: data.attribution || "",
                });
                this.tileLayer.on("tileerror", () => this.state.tileErrors++);
                this.tileLayer.on("tileload", () => this.state.tilesLoaded++);
                this.tileLayer.addTo(map);
            }
        }
        this.layers.clearLayers();
        const points = data.points || [];
        for (const point of points) {
            const latlng = [point.lat, point.lon];
            const classes = [
                "o_crm_route_marker",
                `o_crm_route_marker_${point.kind}`,
                point.state ? `o_crm_route_marker_${point.state}` : "",
            ].join(" ");
            const icon = L.divIcon({
                className: classes,
                html: `<span>${point.label}</span>`,
                iconSize: [28, 28],
                iconAnchor: [14, 14],
            });
            // start and end above the stops: a stop at the depot does not hide them
            const marker = L.marker(latlng, {
                icon,
                title: point.name,
                keyboard: false,
                zIndexOffset: point.kind === "stop" ? 0 : 1000,
            });
            const popup = document.createElement("div");
            const title = document.createElement("strong");
            title.textContent = point.name;
            popup.append(title);
            if (point.address) {
                const address = document.createElement("div");
                address.textContent = point.address;
                popup.append(address);
            }
            marker.bindPopup(popup);
            marker.addTo(this.layers);
        }
        const line = data.line || [];
        if (line.length > 1) {
            L.polyline(line, {color: "#714b67", weight: 3, opacity: 0.8}).addTo(this.layers);
        }
        if (points.length) {
            const bounds = L.latLngBounds(points.map((p) => [p.lat, p.lon]));
            map.fitBounds(bounds, {padding: [30, 30], maxZoom: 15});
        } else {
            map.setView([51.0, 10.4], 5);
        }
    }

    get tileNote() {
        return _t(
            "The map background could not be loaded (tile server not reachable). Stops, order and the route sheet are not affected."
        );
    }
}

export const crmRouteMapField = {
    component: CrmRouteMapField,
    displayName: _t("Route Map"),
    supportedTypes: ["json"],
};

registry.category("fields").add("crm_route_map", crmRouteMapField);
