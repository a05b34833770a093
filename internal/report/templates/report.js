(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) return;
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.finding"));
  var files = Array.prototype.slice.call(document.querySelectorAll("section.file"));
  var cards = Array.prototype.slice.call(document.querySelectorAll("[data-filter-sev]"));
  var shown = document.getElementById("shown");

  function value(name) {
    var el = form.elements[name];
    return el ? el.value : "";
  }

  function apply() {
    var sev = value("sev"), ns = value("ns"), chk = value("check"), cat = value("cat");
    var q = value("q").trim().toLowerCase();
    var n = 0;
    rows.forEach(function (r) {
      var ok = (!sev || r.dataset.sev === sev) &&
        (!ns || r.dataset.ns === ns) &&
        (!chk || r.dataset.check === chk) &&
        (!cat || r.dataset.cat === cat) &&
        (!q || r.textContent.toLowerCase().indexOf(q) >= 0);
      r.hidden = !ok;
      if (ok) n++;
    });
    files.forEach(function (s) {
      var visible = s.querySelectorAll("tr.finding:not([hidden])").length;
      s.hidden = visible === 0;
      var c = s.querySelector(".fcount");
      if (c) c.textContent = String(visible);
    });
    shown.textContent = String(n);
    cards.forEach(function (c) { c.classList.toggle("active", c.dataset.filterSev === sev && sev !== ""); });
  }

  function setSeverity(sev) {
    var radios = form.querySelectorAll("input[name=sev]");
    Array.prototype.forEach.call(radios, function (r) { r.checked = r.value === sev; });
    apply();
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  cards.forEach(function (c) {
    c.addEventListener("click", function () {
      setSeverity(c.dataset.filterSev);
      form.scrollIntoView({ block: "start" });
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-filter-ns]"), function (b) {
    b.addEventListener("click", function () {
      form.elements.ns.value = b.dataset.filterNs;
      apply();
      form.scrollIntoView({ block: "start" });
    });
  });
  apply();
})();
