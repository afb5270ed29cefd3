// The diff switch (templates/notes/reviews/_diff_switch.html): keep the reader's Rendered /
// Source choice as it changes, so every diff page opens the way they last read one. The
// radios switch the panes by CSS; this only saves, and says so in the status line.
(function () {
  "use strict";
  document.querySelectorAll("form.diff-view-form").forEach(function (form) {
    var keep = form.querySelector(".diff-view-keep");
    var status = form.querySelector(".diff-view-status");
    if (keep) keep.hidden = true; // saved on change: the button is for pages without scripts
    form.addEventListener("change", function (event) {
      if (event.target.name !== "diff-view") return;
      var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { "X-CSRFToken": token, Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          if (status) status.textContent = "Diffs will open as " + event.target.parentNode.textContent.trim() + ".";
        })
        .catch(function () {
          if (status) status.textContent = "Your choice could not be kept; it applies to this page only.";
          if (keep) keep.hidden = false;
        });
    });
  });
})();
