import {ActivityMenu} from "@mail/core/web/activity_menu";
import {patch} from "@web/core/utils/patch";

/** Resubmissions are no mail.activity: open "My Resubmissions" with the chosen bucket. */
patch(ActivityMenu.prototype, {
    openActivityGroup(group, filter = "all", newWindow) {
        if (group.model !== "crm.chronicle.resubmission") {
            return super.openActivityGroup(...arguments);
        }
        this.dropdown.close();
        const context = {search_default_mine: 1, search_default_open: 1};
        if (filter === "overdue") {
            context.search_default_overdue = 1;
        } else if (filter === "today") {
            context.search_default_today = 1;
        } else if (filter === "all") {
            context.search_default_overdue = 1;
            context.search_default_today = 1;
        }
        this.action.doAction("crm_chronicle.crm_chronicle_resubmission_action_my", {
            newWindow,
            clearBreadcrumbs: true,
            additionalContext: context,
        });
    },
});
