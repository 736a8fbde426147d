/* TA activity pages: small enhancements; every page works without them. */
(function () {
  "use strict";

  // Elements matching `selector` in `root`, the root itself included (htmx hands us the
  // swapped-in element as the root).
  function within(root, selector) {
    var found = Array.prototype.slice.call(root.querySelectorAll(selector));
    if (root.matches && root.matches(selector)) {
      found.unshift(root);
    }
    return found;
  }

  // Without JavaScript some steps need a button (e.g. "Show the staff of the chosen
  // center"); with it, htmx does the step on change, so the button goes away.
  function hideNoJsSteps(root) {
    within(root, "[data-tat-nojs]").forEach(function (element) {
      element.hidden = true;
    });
  }

  // A1: "Other TA focus notes" is locked unless the TA focus "Other" is chosen.
  function lockOtherFocus(root) {
    within(root, "select[data-tat-other-value]").forEach(function (select) {
      var notes = document.getElementById(select.getAttribute("aria-controls"));
      if (!notes || select.dataset.tatReady) {
        return;
      }
      select.dataset.tatReady = "1";
      var update = function () {
        var locked = select.value !== select.getAttribute("data-tat-other-value");
        notes.disabled = locked;
        notes.setAttribute("aria-disabled", locked ? "true" : "false");
      };
      select.addEventListener("change", update);
      update();
    });
  }

  // Long checkbox lists (requesters, staff): a filter box shows only matching names.
  // Checked boxes always stay visible, so nothing chosen is ever hidden.
  function setUpFilters(root) {
    within(root, "[data-tat-picker]").forEach(function (picker) {
      var box = picker.querySelector("[data-tat-filter]");
      var input = picker.querySelector("[data-tat-filter-input]");
      var count = picker.querySelector("[data-tat-filter-count]");
      if (!box || !input || input.dataset.tatReady) {
        return;
      }
      var items = Array.prototype.slice.call(
        picker.querySelectorAll(".tat-picker__list .usa-checkbox")
      );
      if (items.length < 8) {
        return; // a short list needs no filter
      }
      input.dataset.tatReady = "1";
      box.hidden = false;
      var apply = function () {
        var query = input.value.trim().toLowerCase();
        var shown = 0;
        items.forEach(function (item) {
          var checkbox = item.querySelector("input");
          var text = item.textContent.toLowerCase();
          var visible = !query || text.indexOf(query) !== -1 || (checkbox && checkbox.checked);
          item.hidden = !visible;
          if (visible) {
            shown += 1;
          }
        });
        if (count) {
          count.textContent = query ? "Showing " + shown + " of " + items.length + "." : "";
        }
      };
      input.addEventListener("input", apply);
      // Enter in the filter box must not submit the whole form.
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") {
          event.preventDefault();
        }
      });
      apply();
    });
  }

  function setUpPrint(root) {
    within(root, "[data-tat-print]").forEach(function (button) {
      if (button.dataset.tatReady) {
        return;
      }
      button.dataset.tatReady = "1";
      button.hidden = false;
      button.addEventListener("click", function () {
        window.print();
      });
    });
  }

  function enhance(root) {
    hideNoJsSteps(root);
    lockOtherFocus(root);
    setUpFilters(root);
    setUpPrint(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
  });

  // Content swapped in by htmx (the requester list after adding one) gets the same care.
  document.addEventListener("htmx:load", function (event) {
    if (event.target && event.target.querySelectorAll) {
      enhance(event.target);
    }
  });
})();
