// The site's few behaviours, delegated from the document so that they also work on fragments htmx swaps in.
// No inline scripts or handlers anywhere: the Content-Security-Policy allows scripts from this origin only.
(function () {
  "use strict";

  function addPetitioner() {
    var total = document.getElementById("id_p-TOTAL_FORMS");
    var template = document.getElementById("petitioner-template");
    if (!total || !template) return;
    var html = template.innerHTML.replace(/__prefix__/g, total.value);
    document.getElementById("petitioners").insertAdjacentHTML("beforeend", html);
    total.value = parseInt(total.value, 10) + 1;
  }

  function relateCase(button) {
    var field = document.getElementById("id_related_case");
    if (!field) return;
    field.value = button.dataset.relateCase;
    button.textContent = "已关联";
  }

  function adoptCategory(button) {
    var select = document.getElementById("id_category");
    if (!select) return;
    select.value = button.dataset.category;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    if (button.id === "add-petitioner") addPetitioner();
    else if (button.dataset.relateCase) relateCase(button);
    else if (button.classList.contains("adopt-category")) adoptCategory(button);
  });

  // On a phone the list's secondary filters start folded (unless one is in use), so the cases come first.
  document.addEventListener("DOMContentLoaded", function () {
    if (window.innerWidth > 640) return;
    document.querySelectorAll("details.more-filters:not([data-in-use])").forEach(function (d) {
      d.removeAttribute("open");
    });
  });

  // <form data-confirm="…">: ask before submitting (a delete, say).
  document.addEventListener("submit", function (event) {
    var message = event.target.dataset && event.target.dataset.confirm;
    if (message && !window.confirm(message)) event.preventDefault();
  });
})();
