// Filters a unit picker's options by name or pinyin initials (data-initials), one delegated listener for
// every picker on the page, including those htmx swaps in later.
document.addEventListener("input", function (event) {
  var box = event.target;
  if (!box.classList || !box.classList.contains("unit-filter")) return;
  var select = document.getElementById(box.getAttribute("data-filter-for"));
  if (!select) return;
  var needle = box.value.trim().toLowerCase();
  var first = null;
  Array.prototype.forEach.call(select.options, function (option) {
    if (!option.value) return;
    var hit = !needle || option.text.toLowerCase().indexOf(needle) !== -1 ||
      (option.getAttribute("data-initials") || "").indexOf(needle) !== -1;
    option.hidden = !hit;
    if (hit && !first) first = option;
  });
  Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
    group.hidden = !Array.prototype.some.call(group.children, function (o) { return !o.hidden; });
  });
  var current = select.options[select.selectedIndex];
  if (needle && first && (!current || !current.value || current.hidden)) {
    first.selected = true;
  }
});
