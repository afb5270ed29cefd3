// The editors: the Markdown editor's keys and toolbar, its Write/Preview tabs on a
// phone, autosave into the author's draft, and the table grid: rows and columns added, moved
// and removed in the page by button or key, growing cells, preview, autosaved like the text.
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

  // Keys on a grid cell, all with Alt+Shift: Alt alone moves through history (Alt+Left) and
  // Ctrl+Alt turns the screen on some systems; screen readers use Insert, Caps Lock or
  // Ctrl+Option, and browsers keep no Alt+Shift+arrow for themselves. Read from
  // ``event.code`` so that Option+Shift on a Mac, which types a character, still counts.
  var GRID_KEYS = {
    ArrowUp: "move-row-up",
    ArrowDown: "move-row-down",
    ArrowLeft: "move-column-left",
    ArrowRight: "move-column-right",
    Enter: "add-row-below",
    NumpadEnter: "add-row-below",
    Backspace: "remove-row",
    Equal: "add-column-right",
    Minus: "remove-column",
  };

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text) node.textContent = text;
    return node;
  }

  // The same buttons as the server draws (templates/notes/editing/table_form.html): without
  // this script they post the form and the server redraws the grid.
  function gridButton(value, label, text, className) {
    return element(
      "button",
      { type: "submit", name: "grid", value: value, class: className, formnovalidate: "", "aria-label": label, title: label },
      text
    );
  }

  function setUpGrid(form) {
    var section = form.querySelector("[data-table-preview-section]");
    var preview = form.querySelector("[data-table-preview]");
    var table = form.querySelector("table.grid");
    var columnsField = form.querySelector("input[name=columns]");
    var rowsField = form.querySelector("input[name=rows]");
    var status = form.querySelector("[data-grid-status]");
    var keys = document.querySelector("[data-grid-keys]");
    var maxRows = parseInt(form.dataset.maxRows, 10) || 500;
    var maxColumns = parseInt(form.dataset.maxColumns, 10) || 50;
    var timer = null;

    function headerCells() { return Array.prototype.slice.call(table.tHead.rows[0].cells, 0, -1); }
    function bodyRows() { return Array.prototype.slice.call(table.tBodies[0].rows); }
    function columns() { return headerCells().length; }
    function rows() { return bodyRows().length; }
    function field(row, column) {
      var cell = row < 0 ? headerCells()[column] : bodyRows()[row] && bodyRows()[row].cells[column];
      return cell ? cell.querySelector("textarea") : null;
    }

    // Where a text area sits: row -1 is the header.
    function place(textarea) {
      var cell = textarea.closest("th, td");
      var row = cell.parentNode;
      return { row: row.parentNode === table.tHead ? -1 : bodyRows().indexOf(row), column: cell.cellIndex };
    }

    function say(text) {
      if (!status) return;
      // Emptied first so that saying the same thing twice is announced twice.
      status.textContent = "";
      window.setTimeout(function () { status.textContent = text; }, 30);
    }

    function value(name) {
      var found = form.elements[name];
      return found ? found.value : "";
    }

    function tableMarkdown() {
      var lines = [], header = [], rule = [], count = columns();
      for (var column = 0; column < count; column += 1) {
        header.push(markdownCell(value("header-" + column)));
        rule.push("---");
      }
      lines.push("|" + header.join("|") + "|", "|" + rule.join("|") + "|");
      for (var row = 0; row < rows(); row += 1) {
        var cells = [];
        for (column = 0; column < count; column += 1) cells.push(markdownCell(value("cell-" + row + "-" + column)));
        lines.push("|" + cells.join("|") + "|");
      }
      return lines.join("\n");
    }

    function refresh() {
      if (!preview) return;
      if (!columns()) { preview.textContent = "A table needs at least one column."; return; }
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

    function refreshSoon() {
      clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    }

    function newTextarea(rowsAttribute) {
      var textarea = element("textarea", { rows: String(rowsAttribute), "data-grow": "" });
      wire(textarea);
      return textarea;
    }

    function newHeader() {
      var cell = element("th", { scope: "col" });
      cell.appendChild(newTextarea(1));
      cell.appendChild(element("span", { class: "grid-tools" }));
      return cell;
    }

    function newBodyCell() {
      var cell = element("td");
      cell.appendChild(newTextarea(2));
      return cell;
    }

    function newRow() {
      var row = element("tr");
      for (var column = 0; column < columns(); column += 1) row.appendChild(newBodyCell());
      row.appendChild(element("td", { class: "grid-tools" }));
      return row;
    }

    // Names, labels and buttons follow the positions: the server reads cell-<row>-<column>.
    function renumber() {
      var headers = headerCells(), body = bodyRows(), count = headers.length;
      headers.forEach(function (cell, column) {
        var number = column + 1;
        var textarea = cell.querySelector("textarea");
        textarea.name = "header-" + column;
        textarea.setAttribute("aria-label", "Column " + number + " header");
        var tools = cell.querySelector(".grid-tools");
        tools.textContent = "";
        if (column > 0) tools.appendChild(gridButton("move-column-left-" + column, "Move column " + number + " left", "←", "small"));
        if (column < count - 1) tools.appendChild(gridButton("move-column-right-" + column, "Move column " + number + " right", "→", "small"));
        tools.appendChild(gridButton("remove-column-" + column, "Remove column " + number, "✕ column", "link"));
      });
      body.forEach(function (row, index) {
        var number = index + 1;
        Array.prototype.slice.call(row.cells, 0, -1).forEach(function (cell, column) {
          var textarea = cell.querySelector("textarea");
          textarea.name = "cell-" + index + "-" + column;
          textarea.setAttribute("aria-label", "Row " + number + ", column " + (column + 1));
        });
        var tools = row.cells[row.cells.length - 1];
        tools.textContent = "";
        if (index > 0) tools.appendChild(gridButton("move-row-up-" + index, "Move row " + number + " up", "↑", "small"));
        if (index < body.length - 1) tools.appendChild(gridButton("move-row-down-" + index, "Move row " + number + " down", "↓", "small"));
        tools.appendChild(gridButton("remove-row-" + index, "Remove row " + number, "✕ row", "link"));
      });
      columnsField.value = String(count);
      rowsField.value = String(body.length);
      table.querySelectorAll("textarea[data-grow]").forEach(grow);
      refreshSoon();
      // The autosave listens for input on the form: a structural change is one.
      rowsField.dispatchEvent(new Event("input", { bubbles: true }));
    }

    function focusOn(target, caret) {
      if (!target) return;
      target.focus();
      if (target instanceof HTMLTextAreaElement && caret) {
        var length = target.value.length;
        target.setSelectionRange(Math.min(caret[0], length), Math.min(caret[1], length));
      }
    }

    // Each action takes the row and column it applies to and answers where the focus goes
    // (a cell, as {row, column}) and what to tell a screen reader; null when refused.
    var ACTIONS = {
      "add-row": function () { return ACTIONS["add-row-below"](rows() - 1, 0); },
      "add-row-below": function (row, column) {
        if (rows() >= maxRows) return { refused: "A table has at most " + maxRows + " rows." };
        var at = row + 1;
        table.tBodies[0].insertBefore(newRow(), bodyRows()[at] || null);
        return { row: at, column: column, said: "Row " + (at + 1) + " added." };
      },
      "remove-row": function (row, column) {
        if (row < 0) return { refused: "The header row stays: remove a column instead." };
        bodyRows()[row].remove();
        var next = Math.min(row, rows() - 1);
        return { row: next, column: column, said: "Row " + (row + 1) + " removed." };
      },
      "move-row-up": function (row, column) { return moveRow(row, column, -1); },
      "move-row-down": function (row, column) { return moveRow(row, column, 1); },
      "add-column": function () { return ACTIONS["add-column-right"](-1, columns() - 1); },
      "add-column-right": function (row, column) {
        if (columns() >= maxColumns) return { refused: "A table has at most " + maxColumns + " columns." };
        var at = column + 1;
        var corner = table.tHead.rows[0].cells[at];
        table.tHead.rows[0].insertBefore(newHeader(), corner);
        bodyRows().forEach(function (tr) { tr.insertBefore(newBodyCell(), tr.cells[at]); });
        return { row: -1, column: at, said: "Column " + (at + 1) + " added." };
      },
      "remove-column": function (row, column) {
        if (columns() <= 1) return { refused: "A table needs at least one column." };
        headerCells()[column].remove();
        bodyRows().forEach(function (tr) { tr.cells[column].remove(); });
        return { row: row, column: Math.min(column, columns() - 1), said: "Column " + (column + 1) + " removed." };
      },
      "move-column-left": function (row, column) { return moveColumn(row, column, -1); },
      "move-column-right": function (row, column) { return moveColumn(row, column, 1); },
    };

    function moveRow(row, column, step) {
      var to = row + step;
      if (row < 0 || to < 0 || to >= rows()) return { refused: row < 0 ? "The header row does not move." : "Row " + (row + 1) + " is already " + (step < 0 ? "first." : "last.") };
      var body = bodyRows(), moving = body[row];
      table.tBodies[0].insertBefore(moving, step < 0 ? body[to] : body[to].nextSibling);
      return { row: to, column: column, said: "Row moved to position " + (to + 1) + " of " + rows() + "." };
    }

    function moveColumn(row, column, step) {
      var to = column + step;
      if (to < 0 || to >= columns()) return { refused: "Column " + (column + 1) + " is already " + (step < 0 ? "first." : "last.") };
      [table.tHead.rows[0]].concat(bodyRows()).forEach(function (tr) {
        var moving = tr.cells[column], other = tr.cells[to];
        tr.insertBefore(moving, step < 0 ? other : other.nextSibling);
      });
      return { row: row, column: to, said: "Column moved to position " + (to + 1) + " of " + columns() + "." };
    }

    // ``from``: the text area the keys were pressed in, or the button pressed.
    function apply(name, row, column, from) {
      var caret = from instanceof HTMLTextAreaElement ? [from.selectionStart, from.selectionEnd] : null;
      var moved = /^move-/.test(name) && from instanceof HTMLTextAreaElement ? from : null;
      var outcome = ACTIONS[name](row, column);
      if (outcome.refused) { say(outcome.refused); return; }
      renumber();
      say(outcome.said);
      if (moved) { focusOn(moved, caret); return; } // the same cell, carried along
      if (from instanceof HTMLButtonElement && /^move-/.test(name)) {
        // Pressing ↓ again moves the row again: the focus stays on that button in its new place.
        var index = /row/.test(name) ? outcome.row : outcome.column;
        var again = form.querySelector("button[name=grid][value='" + name + "-" + index + "']");
        if (again) { again.focus(); return; }
      }
      focusOn(field(outcome.row, outcome.column) || field(-1, 0), caret && /^remove-/.test(name) ? null : caret);
    }

    function wire(textarea) {
      textarea.addEventListener("input", function () {
        grow(textarea);
        refreshSoon();
      });
      textarea.addEventListener("keydown", function (event) {
        var here = place(textarea);
        if (event.altKey && event.shiftKey && !event.ctrlKey && !event.metaKey) {
          var name = GRID_KEYS[event.code] || GRID_KEYS[event.key];
          if (!name) return;
          event.preventDefault();
          apply(name, here.row, here.column, textarea);
          return;
        }
        // A cell is one line: Enter goes to the cell below, as in a spreadsheet, and past
        // the last row starts a new one.
        if (event.key === "Enter" && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey) {
          event.preventDefault();
          if (here.row + 1 < rows()) focusOn(field(here.row + 1, here.column));
          else apply("add-row-below", here.row, here.column, null);
        }
      });
    }

    // The grid's buttons act in the page; the form is not posted. Enter in the title or
    // the summary presses the form's first button ("Keep", a redraw): nothing to do here.
    form.addEventListener("click", function (event) {
      var button = event.target.closest("button[name=grid]");
      if (!button) return;
      event.preventDefault();
      var match = /^(add-row|add-column|redraw|(?:move-row-up|move-row-down|move-column-left|move-column-right|remove-row|remove-column)-(\d+))$/.exec(button.value);
      if (!match || match[1] === "redraw") return;
      if (!match[2]) { apply(match[1], -1, 0, button); return; }
      var name = button.value.slice(0, -match[2].length - 1);
      var index = parseInt(match[2], 10);
      var isRow = /row/.test(name);
      apply(name, isRow ? index : -1, isRow ? 0 : index, button);
    });

    table.querySelectorAll("textarea[data-grow]").forEach(function (textarea) {
      grow(textarea);
      wire(textarea);
    });
    window.addEventListener("resize", function () { table.querySelectorAll("textarea[data-grow]").forEach(grow); });
    if (keys) keys.hidden = false;
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
