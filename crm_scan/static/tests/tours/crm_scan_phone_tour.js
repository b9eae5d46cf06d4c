import {registry} from "@web/core/registry";

/**
 * A letter photographed on the phone (or iPad) and uploaded (issue 20): the upload form's
 * file field takes the photo, Upload files it as a scanned document. Run at 390x844,
 * 1024x768 and 1440x900 by tests/test_ui_sizes.py.
 */
registry.category("web_tour.tours").add("crm_scan_phone_upload_tour", {
    steps: () => [
        {
            content: "the upload form takes the photo (the file field behind its Upload button)",
            trigger: ".o_field_many2many_binary input[type=file]:not(:visible)",
            async run() {
                const response = await fetch("/web/content/crm_scan.tour_phone_photo");
                const blob = await response.blob();
                const transfer = new DataTransfer();
                transfer.items.add(new File([blob], "brief_foto.png", {type: "image/png"}));
                this.anchor.files = transfer.files;
                this.anchor.dispatchEvent(new Event("change", {bubbles: true}));
            },
        },
        {
            content: "the photo is attached",
            trigger: ".o_field_many2many_binary .o_attachment:contains(brief_foto)",
        },
        {
            content: "upload it",
            trigger: "button[name=action_upload]:enabled",
            run: "click",
        },
        {
            content: "the document is in the list of scans",
            trigger: ".o_kanban_record:contains(brief_foto), .o_data_row:contains(brief_foto), .o_form_view .o_field_widget[name=name]:contains(brief_foto), .o_form_view .o_field_widget[name=name] input:value(brief_foto)",
        },
    ],
});
