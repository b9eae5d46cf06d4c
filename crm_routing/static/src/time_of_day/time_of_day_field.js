import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {FloatTimeField, floatTimeField} from "@web/views/fields/float_time/float_time_field";
import {formatFloatTime} from "@web/views/fields/formatters";
import {parseFloatTime} from "@web/views/fields/parsers";
import {useInputField} from "@web/views/fields/input_field_hook";
import {useNumpadDecimal} from "@web/views/fields/numpad_decimal_hook";

/**
 * A time of day that may be unset: 0 shows as an empty cell (with a placeholder while
 * editing) instead of "00:00", which reads like "closed at midnight". Used for the opening
 * hours of a route stop, where 0 means "no window".
 */
export class CrmTimeOfDayField extends FloatTimeField {
    static template = "crm_routing.TimeOfDayField";

    setup() {
        // FloatTimeField's setup, with an empty input parsed as 0 (no window)
        this.inputFloatTimeRef = useInputField({
            getValue: () => this.formattedValue,
            refName: "numpadDecimal",
            parse: (value) => (value.trim() ? parseFloatTime(value) : 0),
        });
        useNumpadDecimal();
    }

    get formattedValue() {
        const value = this.props.record.data[this.props.name];
        return value ? formatFloatTime(value, {displaySeconds: this.props.displaySeconds}) : "";
    }

    get placeholder() {
        return _t("any time");
    }
}

export const crmTimeOfDayField = {
    ...floatTimeField,
    component: CrmTimeOfDayField,
    displayName: _t("Time of day (empty: none)"),
};

registry.category("fields").add("crm_time_of_day", crmTimeOfDayField);
