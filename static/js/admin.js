/* The admin's own behaviour, from a static file (the Content-Security-Policy allows no inline
 * script): names for the autocomplete widgets, the export page's "select all".
 * Loaded with `defer` by templates/admin/base_site.html, so it runs after the form's media
 * (select2, Django's autocomplete.js) and before they initialise on DOMContentLoaded. */
"use strict";
{
    // -- autocomplete (select2) widgets: named by their field's label ----------------------

    const labelFor = (select) => {
        const label = select.id && document.querySelector(`label[for="${CSS.escape(select.id)}"]`);
        if (!label) {
            return null;
        }
        if (!label.id) {
            label.id = `${select.id}-label`;
        }
        return label;
    };

    // select2 4.0 puts its "clear all" button inside the list of chosen items: a list may hold
    // only items, so the button is moved just before the list (its handler is delegated from
    // the surrounding combobox, which still holds it).
    const keepListsToItems = (list) => {
        for (const child of Array.from(list.children)) {
            if (child.tagName !== "LI") {
                list.before(child);
            }
        }
    };

    const labelWidget = (select) => {
        const label = labelFor(select);
        const container = select.nextElementSibling;
        if (!label || !container || !container.classList.contains("select2")) {
            return;
        }
        const combobox = container.querySelector(".select2-selection");
        const rendered = container.querySelector(".select2-selection__rendered");
        if (combobox && rendered && rendered.id) {
            // A single choice: the field's name, then the value chosen.
            combobox.setAttribute("aria-labelledby", `${label.id} ${rendered.id}`);
            rendered.removeAttribute("role");
            rendered.removeAttribute("aria-readonly");
        } else if (combobox) {
            combobox.setAttribute("aria-labelledby", label.id);
        }
        const search = container.querySelector(".select2-search__field");
        if (search) {
            search.setAttribute("aria-labelledby", label.id);
        }
        if (rendered && rendered.tagName === "UL") {
            keepListsToItems(rendered);
            // select2 rebuilds the list on every change: keep it a list of items.
            new MutationObserver(() => keepListsToItems(rendered)).observe(rendered, {
                childList: true,
            });
        }
    };

    const $ = window.django && window.django.jQuery;
    if ($ && $.fn.djangoAdminSelect2) {
        const initialise = $.fn.djangoAdminSelect2;
        $.fn.djangoAdminSelect2 = function () {
            const result = initialise.apply(this, arguments);
            this.each((i, select) => labelWidget(select));
            return result;
        };
    }

    // -- export page: "select all" fields ---------------------------------------------------

    document.addEventListener("change", (event) => {
        const toggle = event.target;
        if (!(toggle instanceof HTMLInputElement) || !toggle.matches("input.select-toggle")) {
            return;
        }
        const boxes = document.querySelectorAll(
            '.selectable-field-export-row input[type="checkbox"]'
        );
        for (const box of boxes) {
            box.checked = toggle.checked;
        }
    });
}
