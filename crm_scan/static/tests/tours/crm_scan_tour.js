import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("crm_scan_tour", {
    steps: () => [
        {
            content: "open the upload dialog from the documents list",
            trigger: ".o_list_view button.btn-primary:contains(Upload)",
            run: "click",
        },
        {
            content: "choose the scan (as from the user's disk)",
            trigger: ".modal .o_field_many2many_binary input[type=file]:not(:visible)",
            async run() {
                const response = await fetch("/web/content/crm_scan.tour_scan_image");
                const blob = await response.blob();
                const transfer = new DataTransfer();
                transfer.items.add(new File([blob], "tour_scan.png", {type: "image/png"}));
                this.anchor.files = transfer.files;
                this.anchor.dispatchEvent(new Event("change", {bubbles: true}));
            },
        },
        {
            content: "the file is uploaded",
            trigger: ".modal .o_attachment[title='tour_scan.png'] .o_attachment_uploaded",
        },
        {
            trigger: ".modal div[name=process_now] input",
            run: "click",
        },
        {
            trigger: ".modal-footer button[name=action_upload]",
            run: "click",
        },
        {
            content: "OCR done: the document is filed",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Filed)",
            timeout: 60000,
        },
        {
            trigger: ".o_field_widget[name=partner_id]:contains(Tour Scan Kunde GmbH)",
        },
        {
            content: "go to the customer",
            trigger: "button[name=action_open_partner]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_notebook a[name=crm_chronicle]",
            run: "click",
        },
        {
            content: "the scan is in the customer's chronicle",
            trigger: ".o_field_widget[name=crm_chronicle_entry_ids] td:contains(Scanned Invoice: tour_scan)",
        },
    ],
});
