// Bulk selection on a list: a checkbox [data-ceres-select-all="<name>"] checks or unchecks every checkbox named <name>
// in its form, shows « partly » (indeterminate) when some are checked, and a [data-ceres-selection-count] element
// (aria-live) says how many are selected. Its container is hidden without JavaScript (the boxes still work one by
// one).
(function () {
  "use strict";
  document.querySelectorAll("[data-ceres-select-all]").forEach(function (all) {
    var form = all.form;
    var name = all.getAttribute("data-ceres-select-all");
    var count = form.querySelector("[data-ceres-selection-count]");
    var container = all.closest("[hidden]");
    function boxes() {
      return Array.prototype.filter.call(form.querySelectorAll('input[type="checkbox"]'), function (box) {
        return box.name === name;
      });
    }
    function refresh() {
      var list = boxes();
      var checked = list.filter(function (box) { return box.checked; }).length;
      all.checked = list.length > 0 && checked === list.length;
      all.indeterminate = checked > 0 && checked < list.length;
      if (count) {
        count.textContent = checked === 0 ? "Aucune ligne sélectionnée" : checked + (checked > 1 ? " lignes sélectionnées" : " ligne sélectionnée");
      }
    }
    if (container) { container.hidden = false; }
    all.addEventListener("change", function () {
      boxes().forEach(function (box) { box.checked = all.checked; });
      refresh();
    });
    form.addEventListener("change", function (event) {
      if (event.target.name === name) { refresh(); }
    });
    refresh();
  });
})();
