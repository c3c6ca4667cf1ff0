// The invoice form: "Add a line" adds a blank line in place instead of reloading the page.
// Without JavaScript the same button asks the server for one more line.
(function () {
  "use strict";
  var button = document.getElementById("add-line");
  var list = document.getElementById("lines");
  var template = document.getElementById("line-template");
  var total = document.getElementById("id_lines-TOTAL_FORMS");
  var maximum = document.getElementById("id_lines-MAX_NUM_FORMS");
  if (!button || !list || !template || !total) { return; }
  button.addEventListener("click", function (event) {
    var index = parseInt(total.value, 10);
    if (maximum && index >= parseInt(maximum.value, 10)) { return; }  // let the server say why
    event.preventDefault();
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("ol");
    holder.innerHTML = html;
    var line = holder.firstElementChild;
    list.appendChild(line);
    total.value = String(index + 1);
    var first = line.querySelector("input:not([type=hidden]), select, textarea");
    if (first) { first.focus(); }
  });
}());
