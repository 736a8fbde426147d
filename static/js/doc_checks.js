/* R2 documentation checks: the findings next to a note field are refreshed by htmx as the
   note is written. A polite live region re-announces whatever is swapped into it, so an
   unchanged result is not swapped again (no repeated announcement after every pause). */
(function () {
  "use strict";

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || !target.hasAttribute("data-tat-doc-findings")) {
      return;
    }
    var response = (event.detail.serverResponse || "").trim();
    if (target.tatLastFindings === response) {
      event.detail.shouldSwap = false;
      return;
    }
    target.tatLastFindings = response;
  });
})();
