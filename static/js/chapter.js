// The chapter page's contents and chapter list stand open beside the text on wide
// screens; on a phone they stay folded above it until opened.
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 64rem)");
  function arrange() {
    document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
      details.open = wide.matches;
    });
  }
  document.addEventListener("DOMContentLoaded", arrange);
  wide.addEventListener("change", arrange);
})();
