// Small conveniences on top of pages that work without JavaScript.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // A select marked data-autosubmit reloads the page when it changes, as its form's reload
  // button (or, in a filter form, the submit button) would. A new province empties the
  // commune, which belongs to the old one.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!(select instanceof HTMLSelectElement) || !select.hasAttribute("data-autosubmit")) return;
    var form = select.form;
    if (!form) return;
    if (select.name === "province" && form.elements.commune) form.elements.commune.value = "";
    var reload = form.querySelector("[data-reload]");
    if (reload) {
      reload.click();
    } else if (form.method.toLowerCase() === "get") {
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    }
  });

  // A reload button with formmethod="get" inside a POST form would put the form's CSRF token
  // into the address (history, logs); leave it out of such submissions.
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (!button || (button.getAttribute("formmethod") || "").toLowerCase() !== "get") return;
    var token = event.target.elements.authenticity_token;
    if (token) token.disabled = true;
  });
})();
