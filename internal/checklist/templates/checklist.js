(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) return;
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.item"));
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.cl-section"));
  var shown = document.getElementById("shown");
  function apply() {
    var status = form.elements.status.value, sec = form.elements.section.value;
    var q = form.elements.q.value.trim().toLowerCase();
    var n = 0;
    rows.forEach(function (r) {
      var ok = (!status || r.dataset.status === status) && (!sec || r.dataset.section === sec) &&
        (!q || r.textContent.toLowerCase().indexOf(q) >= 0);
      r.hidden = !ok;
      if (ok) n++;
    });
    sections.forEach(function (s) { s.hidden = s.querySelectorAll("tr.item:not([hidden])").length === 0; });
    shown.textContent = String(n);
  }
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  Array.prototype.forEach.call(document.querySelectorAll("[data-filter-status]"), function (b) {
    b.addEventListener("click", function () {
      Array.prototype.forEach.call(form.querySelectorAll("input[name=status]"), function (r) { r.checked = r.value === b.dataset.filterStatus; });
      apply();
    });
  });
  apply();
})();
