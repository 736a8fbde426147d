/* Search page: the strategic-area list follows the goal category (S2: a strategic area
   needs a goal category). Without JavaScript the server checks the same rule. */
(function () {
  "use strict";

  function setUp() {
    var category = document.getElementById("id_category");
    var area = document.getElementById("id_strategic_area");
    if (!category || !area) {
      return;
    }
    var all = Array.prototype.slice.call(area.options).map(function (option) {
      return option.cloneNode(true);
    });

    function follow() {
      var chosen = category.value;
      var current = area.value;
      while (area.options.length) {
        area.remove(0);
      }
      all.forEach(function (option) {
        var belongs = option.value === "" || option.getAttribute("data-category-id") === chosen;
        if (belongs) {
          var copy = option.cloneNode(true);
          copy.selected = option.value === current;
          area.add(copy);
        }
      });
      area.disabled = chosen === "";
    }

    category.addEventListener("change", follow);
    follow();
  }

  document.addEventListener("DOMContentLoaded", setUp);
})();
