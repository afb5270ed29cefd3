// The editors: the Markdown editor's keys and toolbar, its Write/Preview tabs on a
// phone, autosave into the author's draft, and the table grid's growing cells and preview.
// Everything here is an enhancement: without JavaScript the forms post as before.
(function () {
  "use strict";

  var INDENT = "  ";

  function csrfToken(form) {
    var field = (form || document).querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function changed(textarea) {
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // Replace the selection with ``text`` so that Ctrl+Z undoes it (execCommand keeps the undo
  // history; setRangeText is the fallback), then select ``text`` from ``from`` to ``to``.
  function replaceSelection(textarea, text, from, to) {
    var start = textarea.selectionStart;
    textarea.focus();
    if (!document.execCommand || !document.execCommand("insertText", false, text)) {
      textarea.setRangeText(text, start, textarea.selectionEnd, "end");
      changed(textarea);
    }
    textarea.setSelectionRange(start + from, start + to);
  }

  function wrap(textarea, before, after, placeholder) {
    var selected = textarea.value.slice(textarea.selectionStart, textarea.selectionEnd) || placeholder;
    replaceSelection(textarea, before + selected + after, before.length, before.length + selected.length);
  }

  // The whole lines the selection touches, each passed through ``change``.
  function changeLines(textarea, change) {
    var value = textarea.value;
    var start = value.lastIndexOf("\n", textarea.selectionStart - 1) + 1;
    var end = textarea.selectionEnd;
    if (end > textarea.selectionStart && value.charAt(end - 1) === "\n") end -= 1;
    var lineEnd = value.indexOf("\n", end);
    if (lineEnd === -1) lineEnd = value.length;
    var lines = value.slice(start, lineEnd).split("\n").map(change).join("\n");
    textarea.setSelectionRange(start, lineEnd);
    replaceSelection(textarea, lines, 0, lines.length);
  }

  function outdent(line) {
    if (line.charAt(0) === "\t") return line.slice(1);
    return line.replace(/^ {1,2}/, "");
  }

  var FORMATS = {
    bold: function (t) { wrap(t, "**", "**", "bold text"); },
    italic: function (t) { wrap(t, "_", "_", "italic text"); },
    heading: function (t) { changeLines(t, function (line) { return "### " + line.replace(/^#+\s*/, ""); }); },
    link: function (t) { wrap(t, "[", "](https://)", "link text"); },
    list: function (t) { changeLines(t, function (line) { return "- " + line; }); },
    quote: function (t) { changeLines(t, function (line) { return "> " + line; }); },
    code: function (t) {
      var selected = t.value.slice(t.selectionStart, t.selectionEnd);
      if (selected.indexOf("\n") !== -1) wrap(t, "```\n", "\n```", "");
      else wrap(t, "`", "`", "code");
    },
    table: function (t) {
      var before = t.selectionStart > 0 && t.value.charAt(t.selectionStart - 1) !== "\n" ? "\n" : "";
      var text = before + "[[table:slug]]\n";
      replaceSelection(t, text, before.length + 8, before.length + 12);
    },
    indent: function (t) { changeLines(t, function (line) { return INDENT + line; }); },
    outdent: function (t) { changeLines(t, outdent); },
  };

  // Keys in the Markdown box. Listening on window in the capture phase runs before
  // django-markdownx's own keydown handler on the box (capture, target phase), so stopping
  // the event here keeps markdownx from taking Tab: Tab and Shift+Tab move focus as
  // everywhere else (the browser's default), and the indent keys are ours.
  var SHORTCUTS = { b: "bold", i: "italic", "]": "indent", "[": "outdent" };
  window.addEventListener(
    "keydown",
    function (event) {
      var textarea = event.target;
      if (!(textarea instanceof HTMLTextAreaElement) || !textarea.classList.contains("markdownx-editor")) return;
      if (event.key === "Tab" && !event.ctrlKey && !event.altKey && !event.metaKey) {
        event.stopImmediatePropagation(); // not preventDefault: the browser moves the focus
        return;
      }
      var name = (event.ctrlKey || event.metaKey) && !event.altKey && SHORTCUTS[event.key.toLowerCase()];
      if (name) {
        event.stopImmediatePropagation();
        event.preventDefault();
        FORMATS[name](textarea);
      }
    },
    true
  );

  // A toolbar is one Tab stop; the arrow keys move between its buttons (ARIA toolbar).
  function roving(container, items, orientationKeys) {
    container.addEventListener("keydown", function (event) {
      var index = items.indexOf(document.activeElement);
      if (index === -1) return;
      var next = { Home: 0, End: items.length - 1 }[event.key];
      if (event.key === orientationKeys[0]) next = (index - 1 + items.length) % items.length;
      if (event.key === orientationKeys[1]) next = (index + 1) % items.length;
      if (next === undefined) return;
      event.preventDefault();
      items.forEach(function (item, position) { item.tabIndex = position === next ? 0 : -1; });
      items[next].focus();
      if (container.getAttribute("role") === "tablist") items[next].click();
    });
  }

  function setUpEditor(editor) {
    var textarea = editor.querySelector("textarea.markdownx-editor");
    var toolbar = editor.querySelector(".editor-toolbar");
    var tablist = editor.querySelector(".editor-tabs");
    if (!textarea) return;

    if (toolbar) {
      var buttons = Array.prototype.slice.call(toolbar.querySelectorAll("button[data-format]"));
      buttons.forEach(function (button) {
        button.addEventListener("click", function () { FORMATS[button.dataset.format](textarea); });
      });
      roving(toolbar, buttons, ["ArrowLeft", "ArrowRight"]);
      toolbar.hidden = false;
    }

    if (tablist) {
      var tabs = Array.prototype.slice.call(tablist.querySelectorAll("[role=tab]"));
      var show = function (view) {
        editor.dataset.view = view;
        tabs.forEach(function (tab) {
          var current = tab.id.slice(-view.length - 1) === "-" + view;
          tab.setAttribute("aria-selected", current ? "true" : "false");
          tab.tabIndex = current ? 0 : -1;
        });
      };
      tabs.forEach(function (tab) {
        tab.addEventListener("click", function () { show(tab.id.slice(tab.id.lastIndexOf("-") + 1)); });
      });
      roving(tablist, tabs, ["ArrowLeft", "ArrowRight"]);
      tablist.hidden = false;
      show("write");
    }
  }

  // --- Autosave -------------------------------------------------------------------------

  var DEBOUNCE_MS = 2000;

  function agoText(savedAt) {
    var seconds = Math.round((Date.now() - savedAt) / 1000);
    if (seconds < 10) return "Draft saved just now.";
    if (seconds < 60) return "Draft saved " + Math.floor(seconds / 10) * 10 + " s ago.";
    var minutes = Math.floor(seconds / 60);
    if (minutes < 60) return "Draft saved " + minutes + " min ago.";
    return "Draft saved at " + new Date(savedAt).toLocaleTimeString() + ".";
  }

  function setUpAutosave(form) {
    var url = form.dataset.autosaveUrl;
    var status = form.querySelector("[data-autosave-status]");
    var draftField = form.querySelector("[data-draft-id]");
    var revisionField = form.querySelector("[data-draft-revision]");
    var timer = null, inFlight = false, again = false, stopped = false, dirty = false;
    var savedAt = null, submitter = null, submitting = false;

    function say(text) { if (status && status.textContent !== text) status.textContent = text; }

    function body() {
      var data = new FormData(form);
      data.delete("action");
      return data;
    }

    function save(options) {
      timer = null;
      if (stopped || !dirty) return;
      if (inFlight) { again = true; return; }
      inFlight = true;
      dirty = false;
      say("Saving draft…");
      fetch(url, {
        method: "POST",
        body: body(),
        headers: { "X-CSRFToken": csrfToken(form), Accept: "application/json" },
        credentials: "same-origin",
        keepalive: Boolean(options && options.keepalive),
      })
        .then(function (response) {
          return response.json().then(function (answer) { return { status: response.status, answer: answer }; });
        })
        .then(function (result) {
          if (result.status === 200) {
            url = result.answer.url;
            draftField.value = result.answer.draft;
            revisionField.value = result.answer.revision;
            savedAt = Date.now();
            say(agoText(savedAt));
          } else {
            // 409: another tab saved or submitted this draft; never write over it.
            if (result.status === 409) stopped = true;
            else dirty = true;
            say("Not saved: " + result.answer.error);
            if (status) status.classList.add("is-error");
          }
        })
        .catch(function () {
          dirty = true;
          say("Not saved: the server could not be reached. Saving again when you type.");
        })
        .then(function () {
          inFlight = false;
          if (submitter) {
            var button = submitter;
            submitter = null;
            form.requestSubmit(button);
          } else if (again) {
            again = false;
            save();
          }
        });
    }

    form.addEventListener("input", function (event) {
      if (event.target.name === "csrfmiddlewaretoken" || submitting) return;
      dirty = true;
      if (status) status.classList.remove("is-error");
      clearTimeout(timer);
      timer = setTimeout(save, DEBOUNCE_MS);
    });
    form.addEventListener("submit", function (event) {
      clearTimeout(timer);
      if (inFlight) {
        // The save under way moves the draft's revision: submit once it is known.
        event.preventDefault();
        submitter = event.submitter || null;
        return;
      }
      submitting = true;
    });
    // Closing the tab within the two seconds: send what is unsaved on the way out.
    window.addEventListener("pagehide", function () {
      if (!submitting && dirty) save({ keepalive: true });
    });
    setInterval(function () { if (savedAt && !inFlight && !stopped && !dirty) say(agoText(savedAt)); }, 5000);
  }

  // --- The table grid --------------------------------------------------------------------

  function grow(textarea) {
    // Set through the CSSOM (allowed by the CSP, unlike a style attribute in the HTML).
    textarea.style.height = "auto";
    textarea.style.height = textarea.scrollHeight + (textarea.offsetHeight - textarea.clientHeight) + "px";
  }

  function markdownCell(text) {
    return " " + text.replace(/\s+/g, " ").trim().replace(/\|/g, "\\|") + " ";
  }

  function setUpGrid(form) {
    var section = form.querySelector("[data-table-preview-section]");
    var preview = form.querySelector("[data-table-preview]");
    var columns = parseInt(form.querySelector("input[name=columns]").value, 10) || 0;
    var rows = parseInt(form.querySelector("input[name=rows]").value, 10) || 0;
    var timer = null;

    function value(name) {
      var field = form.elements[name];
      return field ? field.value : "";
    }

    function tableMarkdown() {
      var lines = [], header = [], rule = [];
      for (var column = 0; column < columns; column += 1) {
        header.push(markdownCell(value("header-" + column)));
        rule.push("---");
      }
      lines.push("|" + header.join("|") + "|", "|" + rule.join("|") + "|");
      for (var row = 0; row < rows; row += 1) {
        var cells = [];
        for (column = 0; column < columns; column += 1) cells.push(markdownCell(value("cell-" + row + "-" + column)));
        lines.push("|" + cells.join("|") + "|");
      }
      return lines.join("\n");
    }

    function refresh() {
      if (!columns) { preview.textContent = "A table needs at least one column."; return; }
      var data = new FormData();
      data.append("content", tableMarkdown());
      fetch(form.dataset.previewUrl, {
        method: "POST",
        body: data,
        headers: { "X-CSRFToken": csrfToken(form) },
        credentials: "same-origin",
      })
        .then(function (response) { return response.text(); })
        .then(function (html) { preview.innerHTML = html; }) // sanitized by the server (notes.lib.markup)
        .catch(function () { preview.textContent = "The preview could not be loaded."; });
    }

    form.querySelectorAll("textarea[data-grow]").forEach(function (textarea) {
      grow(textarea);
      textarea.addEventListener("input", function () {
        grow(textarea);
        clearTimeout(timer);
        timer = setTimeout(refresh, 400);
      });
      // A cell is one line: Enter keeps the grid as typed (the form's default button), as
      // it did when cells were inputs, instead of breaking the line.
      textarea.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && !event.shiftKey) {
          event.preventDefault();
          form.requestSubmit(form.querySelector("button.default-action"));
        }
      });
    });
    window.addEventListener("resize", function () { form.querySelectorAll("textarea[data-grow]").forEach(grow); });
    if (section) { section.hidden = false; refresh(); }
  }

  function start() {
    document.querySelectorAll("[data-editor]").forEach(setUpEditor);
    document.querySelectorAll("form[data-autosave-url]").forEach(setUpAutosave);
    document.querySelectorAll("form[data-table-grid]").forEach(setUpGrid);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
