import {registry} from "@web/core/registry";

async function scanFile() {
    // the scan the Python test prepared, as if it came from the user's disk
    const response = await fetch("/web/content/crm_scan.tour_scan_image");
    const blob = await response.blob();
    return new File([blob], "tour_scan.png", {type: "image/png"});
}

registry.category("web_tour.tours").add("crm_scan_tour", {
    steps: () => [
        {
            content: "drag the scan onto the documents list and drop it",
            trigger: ".o_list_view .o_list_renderer",
            async run() {
                const transfer = new DataTransfer();
                transfer.items.add(await scanFile());
                const options = {bubbles: true, cancelable: true, dataTransfer: transfer};
                this.anchor.dispatchEvent(new DragEvent("dragenter", options));
                this.anchor.dispatchEvent(new DragEvent("drop", options));
            },
        },
        {
            content: "the new document is queued for OCR: process it now",
            trigger: ".o_form_view button[name=action_process_now]",
            run: "click",
        },
        {
            content: "OCR done: the document is filed",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Filed)",
            timeout: 60000,
        },
        {
            trigger: ".o_field_widget[name=partner_id]:contains(Tour Scan Kunde GmbH)",
        },
        {
            content: "a letter without an amount shows no 'Amount 0.00'",
            trigger: ".o_form_view:not(:has(.o_field_widget[name=amount]))",
        },
        {
            content: "go to the customer",
            trigger: "button[name=action_open_partner]",
            run: "click",
        },
        {
            content: "the customer's form, with all the suite's tabs: slow on a busy machine",
            trigger: ".o_form_view .o_notebook a[name=crm_chronicle]",
            run: "click",
            timeout: 30000,
        },
        {
            content: "the scan is in the customer's chronicle",
            trigger:
                ".o_field_widget[name=crm_chronicle_entry_ids] td:contains(Scanned Invoice: tour_scan)",
        },
    ],
});
