import {_t} from "@web/core/l10n/translation";
import {patch} from "@web/core/utils/patch";
import {session} from "@web/session";
import {useService} from "@web/core/utils/hooks";
import {PhoneField} from "@web/views/fields/phone/phone_field";

/**
 * Click to dial: every phone field (partners, contact persons, chronicle entries...) gets a
 * dial button when the user has a Fritz!Box. The box rings the user's phone first, then
 * calls the number (TR-064 X_VoIP DialNumber, see crm.phone.call.action_dial).
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
    async onCrmDial(ev) {
        ev.preventDefault();
        ev.stopPropagation();
        const record = this.props.record;
        const number = record.data[this.props.name];
        const result = await this.crmOrm.call("crm.phone.call", "action_dial", [], {
            number,
            res_model: record.resModel,
            res_id: record.resId || false,
        });
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
