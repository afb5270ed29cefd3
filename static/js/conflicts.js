// Conflict cards on the revise page: the merged result follows the author's choices as
// they make them. The form posts the choices either way; the server builds the text.
(function () {
  "use strict";
  var resolver = document.querySelector("[data-conflict-resolver]");
  if (!resolver) { return; }

  function update(card) {
    var number = card.getAttribute("data-conflict");
    var chosen = card.querySelector("input[type=radio]:checked");
    var choice = chosen ? chosen.value : "";
    var editor = card.querySelector("[data-edit]");
    var textarea = editor.querySelector("textarea");
    editor.hidden = choice !== "edit";
    var text;
    if (choice === "published") {
      text = card.querySelector("[data-side=published]").textContent;
    } else if (choice === "edit") {
      text = textarea.value;
      if (text && text.slice(-1) !== "\n") { text += "\n"; }
    } else {
      text = card.querySelector("[data-side=mine]").textContent;
    }
    var merged = resolver.querySelector("[data-merged='" + number + "']");
    merged.textContent = text;
    merged.className = choice ? "chosen" : "unresolved";
  }

  resolver.querySelectorAll(".conflict-card").forEach(function (card) {
    card.addEventListener("change", function () { update(card); });
    card.addEventListener("input", function () { update(card); });
    update(card);
  });
})();
