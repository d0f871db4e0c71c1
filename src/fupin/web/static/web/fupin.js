// Small behaviours every page shares. No inline script or style attribute anywhere
// (Content-Security-Policy: script-src 'self'; style-src 'self'): bar widths come from
// data-width and are set through the CSSOM, which the policy allows.
(function () {
  "use strict";
  function bars(root) {
    (root || document).querySelectorAll("[data-width]").forEach(function (el) {
      var value = parseFloat(el.getAttribute("data-width"));
      if (!isNaN(value)) {
        el.style.width = Math.max(0, Math.min(100, value)) + "%";
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { bars(document); });
  document.addEventListener("htmx:load", function (event) { bars(event.target); });
})();
