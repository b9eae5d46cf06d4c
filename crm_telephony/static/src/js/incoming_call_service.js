import {_t} from "@web/core/l10n/translation";
import {escape} from "@web/core/utils/strings";
import {markup} from "@odoo/owl";
import {registry} from "@web/core/registry";

/**
 * Live caller identification: the call monitor listener sends "crm_telephony/incoming_call"
 * on the bus to the users of the line; we show who is calling with buttons to open the
 * record or log a note on the call.
 */
export function callerMessage(payload) {
    const caller = payload.caller;
    if (!caller) {
        return markup(
            `<div class="o_crm_caller">${escape(_t("Unknown caller"))}: <b>${escape(
                payload.number || _t("number withheld")
            )}</b></div>`
        );
    }
    const lines = [`<b class="o_crm_caller_name">${escape(caller.name)}</b>`];
    if (caller.company_name && caller.company_name !== caller.name) {
        lines.push(escape(caller.company_name));
    }
    if (caller.class) {
        lines.push(`${escape(_t("Class"))}: ${escape(String(caller.class))}`);
    }
    lines.push(escape(payload.number || ""));
    for (const item of caller.open_items || []) {
        lines.push(`• ${escape(item.name || "")} ${escape(item.date || "")}`);
    }
    for (const entry of caller.chronicle || []) {
        lines.push(
            `◦ ${escape(entry.date || "")} ${escape(entry.type || "")}: ${escape(entry.name || "")}`
        );
    }
    return markup(`<div class="o_crm_caller">${lines.join("<br/>")}</div>`);
}

export const crmIncomingCallService = {
    dependencies: ["bus_service", "notification", "action"],

    start(env, {bus_service, notification, action}) {
        bus_service.subscribe("crm_telephony/incoming_call", (payload) => {
            const caller = payload.caller;
            let close = null;
            const buttons = [
                {
                    name: caller ? _t("Open") : _t("Open call"),
                    primary: true,
                    onClick: () => {
                        close?.();
                        action.doAction({
                            type: "ir.actions.act_window",
                            res_model: caller ? "res.partner" : "crm.phone.call",
                            res_id: caller ? caller.partner_id : payload.call_id,
                            views: [[false, "form"]],
                            target: "current",
                        });
                    },
                },
                {
                    name: _t("Log a note"),
                    onClick: () => {
                        close?.();
                        action.doAction({
                            type: "ir.actions.act_window",
                            name: _t("Call note"),
                            res_model: "crm.phone.call",
                            res_id: payload.call_id,
                            views: [[false, "form"]],
                            target: "new",
                        });
                    },
                },
            ];
            const title = payload.line
                ? _t("Incoming call on %(line)s", {line: payload.line})
                : _t("Incoming call");
            close = notification.add(callerMessage(payload), {
                title,
                type: "info",
                sticky: true,
                className: "o_crm_incoming_call",
                buttons,
            });
        });
        bus_service.start();
    },
};

registry.category("services").add("crm_telephony_incoming_call", crmIncomingCallService);
