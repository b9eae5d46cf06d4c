import {_t} from "@web/core/l10n/translation";
import {patch} from "@web/core/utils/patch";
import {session} from "@web/session";
import {useService} from "@web/core/utils/hooks";
import {PhoneField} from "@web/views/fields/phone/phone_field";

/**
 * Click to dial: every phone field (partners, contact persons, chronicle entries...) gets a
 * dial button when the user has a Fritz!Box. The box rings the user's phone first, then
 * calls the number (TR-064 X_VoIP DialNumber, see crm.phone.call.action_dial).
 *
 * A CRM user without a box gets a muted button that says what is missing; a box that cannot
 * dial (unreachable, wrong password) is reported in a notification naming the box and the
 * reason, not in an error dialog.
 */
patch(PhoneField.prototype, {
    setup() {
        super.setup(...arguments);
        this.crmOrm = useService("orm");
        this.crmNotification = useService("notification");
    },
    get crmCanDial() {
        return Boolean(session.crm_telephony_can_dial && this.props.record.data[this.props.name]);
    },
    get crmDialHint() {
        return Boolean(session.crm_telephony_dial_hint && this.props.record.data[this.props.name]);
    },
    get crmDialTitle() {
        return this.crmCanDial
            ? _t("Dial with the Fritz!Box")
            : _t("Click to dial needs a Fritz!Box: set one in your preferences (Telephony)");
    },
    async onCrmDial(ev) {
        ev.preventDefault();
        ev.stopPropagation();
        if (!this.crmCanDial) {
            this.crmNotification.add(
                _t(
                    "No Fritz!Box is set for you. Open your preferences (your avatar, top right), tab Telephony, and choose the box and your extension; an administrator sets up the box under Telephony, Configuration."
                ),
                {title: _t("Click to dial"), type: "warning"}
            );
            return;
        }
        const record = this.props.record;
        const number = record.data[this.props.name];
        let result;
        try {
            result = await this.crmOrm.call("crm.phone.call", "action_dial", [], {
                number,
                res_model: record.resModel,
                res_id: record.resId || false,
            });
        } catch (error) {
            if (error.exceptionName === "odoo.exceptions.UserError") {
                this.crmNotification.add(error.data.message, {
                    title: _t("Could not dial"),
                    type: "danger",
                    sticky: true,
                });
                return;
            }
            throw error;
        }
        // the call is recorded: a form shows it in its Calls button at once (reloaded only
        // when nothing is being edited there, so that no typing is lost), before the
        // notification, so that a click after it never meets a form still re-rendering
        const root = record.model.root;
        if (root.resId && "crm_phone_call_count" in root.fields && !(await root.isDirty())) {
            await root.load();
        }
        this.crmNotification.add(
            result.extension
                ? _t("Pick up %(phone)s: the box then dials %(number)s.", {
                      phone: result.extension,
                      number: result.dialled,
                  })
                : _t("Pick up your phone: the box then dials %(number)s.", {
                      number: result.dialled,
                  }),
            {title: _t("Dialling"), type: "info"}
        );
    },
});
