
(function () {
  "use strict";
  var doc = document;
  var each = function (list, f) { Array.prototype.forEach.call(list, f); };

  // Sorting: a click on a column header of a sortable table sorts its rows (again: reversed).
  var key = function (row, i, numeric) {
    var cell = row.cells[i];
    var t = cell ? cell.textContent.trim() : "";
    if (!numeric) { return t.toLowerCase(); }
    var n = parseFloat(t.replace(/[,%]/g, ""));
    return isNaN(n) ? -Infinity : n;
  };
  var sortBy = function (table, th, i) {
    var numeric = th.classList.contains("num");
    var down = th.getAttribute("aria-sort") === "ascending";
    each(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", down ? "descending" : "ascending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a, i, numeric), y = key(b, i, numeric);
      var c = x < y ? -1 : x > y ? 1 : 0;
      return down ? -c : c;
    });
    each(rows, function (r) { body.appendChild(r); });
  };
  each(doc.querySelectorAll("table.sortable"), function (table) {
    if (!table.tHead || !table.tBodies[0]) { return; }
    each(table.tHead.rows[0].cells, function (th, i) {
      var b = doc.createElement("button");
      b.type = "button";
      b.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(b);
      b.addEventListener("click", function () { sortBy(table, th, i); });
    });
  });

  // Filtering the findings list: text, finding code and severity. The starting values may be
  // given in the address: report.html#q=TEXT&code=CODE&severity=SEVERITY.
  var list = doc.getElementById("findings-table");
  var box = doc.getElementById("filters");
  if (list && box) {
    var text = doc.getElementById("f-text");
    var code = doc.getElementById("f-code");
    var sev = doc.getElementById("f-severity");
    var count = doc.getElementById("f-count");
    var apply = function () {
      var q = text.value.trim().toLowerCase();
      var shown = 0;
      each(list.tBodies[0].rows, function (r) {
        var ok = (!code.value || r.getAttribute("data-code") === code.value) &&
          (!sev.value || r.getAttribute("data-severity") === sev.value) &&
          (!q || r.textContent.toLowerCase().indexOf(q) >= 0);
        r.hidden = !ok;
        if (ok) { shown += 1; }
      });
      list.setAttribute("data-shown", String(shown));
      count.textContent = shown + " of " + list.tBodies[0].rows.length + " rows shown";
    };
    var given = {};
    each(location.hash.replace(/^#/, "").split("&"), function (part) {
      var kv = part.split("=");
      if (kv.length === 2) {
        try { given[kv[0]] = decodeURIComponent(kv[1].replace(/\+/g, " ")); } catch (e) { given[kv[0]] = ""; }
      }
    });
    if (given.q) { text.value = given.q; }
    if (given.code) { code.value = given.code; }
    if (given.severity) { sev.value = given.severity; }
    text.addEventListener("input", apply);
    code.addEventListener("change", apply);
    sev.addEventListener("change", apply);
    box.hidden = false;
    apply();
  }
  doc.documentElement.setAttribute("data-script", "ready");
})();
