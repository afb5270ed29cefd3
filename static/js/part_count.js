// The count of ticked changes (templates/notes/reviews/_part_changes.html), kept current as
// the reviewer ticks; the page counts them again on the preview without scripts.
(function () {
  "use strict";
  document.querySelectorAll("fieldset.part-changes").forEach(function (fieldset) {
    var shown = fieldset.querySelector(".part-ticked");
    function count() {
      shown.textContent = String(fieldset.querySelectorAll("input[name=change]:checked").length);
    }
    fieldset.addEventListener("change", count);
    count();
  });
})();
