import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {getDataURLFromFile} from "@web/core/utils/urls";
import {useService} from "@web/core/utils/hooks";
import {ListRenderer} from "@web/views/list/list_renderer";
import {listView} from "@web/views/list/list_view";
import {useState} from "@odoo/owl";

/**
 * Scanned documents list: drop files (PDF, PNG, JPEG, TIFF) anywhere on the list to
 * upload them; each becomes a scanned document queued for OCR.
 */
export class ScanListRenderer extends ListRenderer {
    static template = "crm_scan.ScanListRenderer";

    setup() {
        super.setup();
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.notification = useService("notification");
        this.dropState = useState({visible: false, busy: false});
        this.dropTitle = _t("Drop scanned files here to file them to your customers");
    }

    onScanDragEnter(ev) {
        if (ev.dataTransfer && [...ev.dataTransfer.types].includes("Files")) {
            this.dropState.visible = true;
        }
    }

    onScanDragLeave(ev) {
        if (!ev.currentTarget.contains(ev.relatedTarget)) {
            this.dropState.visible = false;
        }
    }

    async onScanDrop(ev) {
        this.dropState.visible = false;
        const files = [...(ev.dataTransfer?.files || [])];
        if (!files.length) {
            return;
        }
        this.dropState.busy = true;
        try {
            const payload = [];
            for (const file of files) {
                const url = await getDataURLFromFile(file);
                payload.push([file.name, url.split(",")[1] || ""]);
            }
            const action = await this.orm.call("crm.scan.document", "action_upload_files", [
                payload,
            ]);
            await this.actionService.doAction(action);
        } finally {
            this.dropState.busy = false;
        }
    }
}

export const scanListView = {
    ...listView,
    Renderer: ScanListRenderer,
};

registry.category("views").add("crm_scan_list", scanListView);
