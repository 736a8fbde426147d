/* Technical Assistance Tracker: small behaviours (the pages work without them). */
(function () {
  "use strict";

  // An error summary (or any element marked data-tat-autofocus) takes the focus when it
  // appears, so keyboard and screen-reader users hear what went wrong first.
  function focusMarked(root) {
    var target = (root || document).querySelector("[data-tat-autofocus]");
    if (target) {
      target.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusMarked(document);
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    focusMarked(event.target);
  });
})();
