/* Goal form behaviours. The form works without them: the "Show strategic areas for this
   category" button redraws the list on the server, and every notes box is shown. */
(function () {
  "use strict";

  // Hide what only people without JavaScript need (the category list follows the
  // category through htmx instead).
  function hideNoScriptControls(root) {
    root.querySelectorAll("[data-tat-no-js]").forEach(function (element) {
      element.hidden = true;
    });
  }

  // Show the notes box of each ticked strategic area only; keep a box that has text.
  function syncNotes(root) {
    root.querySelectorAll("[data-notes-for]").forEach(function (textarea) {
      var box = document.querySelector(
        'input[name="strategic_areas"][value="' + textarea.getAttribute("data-notes-for") + '"]'
      );
      var group = textarea.closest(".usa-form-group") || textarea;
      group.hidden = Boolean(box) && !box.checked && textarea.value.trim() === "";
    });
    root.querySelectorAll("[data-tat-notes-section]").forEach(function (section) {
      var visible = section.querySelectorAll(".usa-form-group:not([hidden])").length > 0;
      section.hidden = !visible;
    });
  }

  function setUp(root) {
    if (window.htmx) {
      hideNoScriptControls(root);
    }
    syncNotes(document);
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUp(document);
  });

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches('input[name="strategic_areas"]')) {
      syncNotes(document);
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    setUp(event.target);
  });
})();
