// Quotes on the chapter page: highlight the quoted passages, and offer "Discuss this quote"
// for a selection.
//
// Offsets are into the chapter's plain text as notes/lib/quotes.py defines it: the text of the
// chapter's HTML, each run of space/tab/newline/CR/FF made one space, none at either end,
// counted in code points. What the page adds to the chapter's HTML (permalinks, "Discuss
// this" lines, these highlights' own links) is not part of it. The server sends the
// passages as JSON (#chapter-text's data-quotes) and each one's words: a passage whose words are not
// at its offsets here is not highlighted, never highlighted on other words.
(function () {
  "use strict";
  var SKIP = ".permalink, .permalink-text, .discussed-place, .quote-threads, .quote-tools, .quote-this";
  var WHITESPACE = /[ \t\n\r\f]/;
  var CONTEXT = 32;
  var MIN_LENGTH = 3;

  // chars: the plain text, one code point a cell; nodes: each text node with, for each of
  // its UTF-16 units, the plain-text index it became (-1 for collapsed whitespace).
  function textMap(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        var parent = node.parentElement;
        return parent && parent.closest(SKIP) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      },
    });
    var chars = [];
    var nodes = [];
    var pending = null;
    var node;
    while ((node = walker.nextNode())) {
      var data = node.data;
      var starts = new Int32Array(data.length).fill(-1);
      var entry = { node: node, starts: starts };
      nodes.push(entry);
      for (var unit = 0; unit < data.length; unit++) {
        var ch = data[unit];
        if (WHITESPACE.test(ch)) {
          if (chars.length && !pending) pending = { entry: entry, unit: unit };
          continue;
        }
        if (pending) {
          pending.entry.starts[pending.unit] = chars.length;
          chars.push(" ");
          pending = null;
        }
        var code = data.charCodeAt(unit);
        starts[unit] = chars.length;
        if (code >= 0xd800 && code <= 0xdbff && unit + 1 < data.length) {
          chars.push(data.slice(unit, unit + 2));
          unit++;
        } else {
          chars.push(ch);
        }
      }
    }
    return { chars: chars, nodes: nodes };
  }

  // The [from, to) units of each text node that make up plain text [start, end).
  function pieces(map, start, end) {
    var found = [];
    map.nodes.forEach(function (entry) {
      var first = -1;
      var last = -1;
      for (var unit = 0; unit < entry.starts.length; unit++) {
        var index = entry.starts[unit];
        if (index >= start && index < end) {
          if (first < 0) first = unit;
          last = unit;
        }
      }
      if (first < 0) return;
      var code = entry.node.data.charCodeAt(last);
      var to = last + (code >= 0xd800 && code <= 0xdbff ? 2 : 1);
      found.push({ node: entry.node, from: first, to: to });
    });
    return found;
  }

  function wrap(piece, passage, isFirst) {
    var node = piece.node;
    if (piece.to < node.data.length) node.splitText(piece.to);
    if (piece.from > 0) node = node.splitText(piece.from);
    var mark = document.createElement("mark");
    mark.className = "quote";
    mark.dataset.threads = String(passage.threads);
    mark.title = passage.threads === 1 ? "1 thread on this quote" : passage.threads + " threads on this quote";
    if (isFirst && !document.getElementById("quote-" + passage.start + "-" + passage.end)) {
      mark.id = "quote-" + passage.start + "-" + passage.end;
    }
    node.parentNode.insertBefore(mark, node);
    mark.appendChild(node);
    mark.addEventListener("click", function () {
      if (String(window.getSelection() || "") === "") window.location.href = passage.url;
    });
    return mark;
  }

  function highlight(root, passage) {
    var map = textMap(root);
    if (map.chars.slice(passage.start, passage.end).join("") !== passage.exact) return false;
    var found = pieces(map, passage.start, passage.end);
    if (!found.length) return false;
    var marks = found.map(function (piece, index) {
      return wrap(piece, passage, index === 0);
    });
    var link = document.createElement("a");
    link.className = "quote-threads";
    link.href = passage.url;
    link.textContent = String(passage.threads);
    link.setAttribute(
      "aria-label",
      (passage.threads === 1 ? "1 thread" : passage.threads + " threads") + " on the quote “" + passage.exact.slice(0, 80) + "”"
    );
    var after = marks[marks.length - 1];
    var enclosing = after.parentElement.closest("a");
    if (enclosing && root.contains(enclosing)) after = enclosing; // no link inside a link
    after.parentNode.insertBefore(link, after.nextSibling);
    return true;
  }

  function highlightAll(root) {
    if (!root.dataset.quotes) return;
    var passages = JSON.parse(root.dataset.quotes);
    // Last first: each passage's links then stand after the text the earlier ones wrap.
    passages
      .slice()
      .sort(function (a, b) {
        return b.start - a.start || b.end - a.end;
      })
      .forEach(function (passage) {
        highlight(root, passage);
      });
    var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
    if (target && target.matches("mark.quote")) target.scrollIntoView({ block: "center" });
  }

  // --- Discuss this quote ---------------------------------------------------------------

  function selected(root, map) {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
    var range = selection.getRangeAt(0);
    if (!root.contains(range.commonAncestorContainer)) return null;
    var first = -1;
    var last = -1;
    map.nodes.forEach(function (entry) {
      if (!range.intersectsNode(entry.node)) return;
      var from = entry.node === range.startContainer ? range.startOffset : 0;
      var to = entry.node === range.endContainer ? range.endOffset : entry.node.data.length;
      for (var unit = from; unit < to; unit++) {
        var index = entry.starts[unit];
        if (index < 0) continue;
        if (first < 0) first = index;
        last = index;
      }
    });
    if (first < 0) return null;
    while (first <= last && map.chars[first] === " ") first++;
    while (last >= first && map.chars[last] === " ") last--;
    if (last - first + 1 < MIN_LENGTH) return null;
    var end = last + 1;
    return {
      range: range,
      start: first,
      exact: map.chars.slice(first, end).join(""),
      prefix: map.chars.slice(Math.max(0, first - CONTEXT), first).join(""),
      suffix: map.chars.slice(end, end + CONTEXT).join(""),
    };
  }

  function setUpDiscussing(root) {
    var startUrl = root.dataset.quoteStart;
    if (!startUrl) return;
    var tools = document.createElement("div");
    tools.className = "quote-tools";
    tools.hidden = true;
    var button = document.createElement("a");
    button.className = "button primary quote-discuss";
    button.textContent = "Discuss this quote";
    button.setAttribute("aria-keyshortcuts", "Alt+Shift+Q");
    tools.appendChild(button);
    var map = null;
    var timer = null;

    function place(quote) {
      var query = new URLSearchParams({
        quote_exact: quote.exact,
        quote_prefix: quote.prefix,
        quote_suffix: quote.suffix,
        quote_start: String(quote.start),
      });
      button.href = startUrl + "?" + query.toString();
      // Right after the block the selection ends in, so Tab from the selection reaches it.
      var end = quote.range.endContainer;
      var block = (end.nodeType === 1 ? end : end.parentElement).closest("p, li, blockquote, pre, figure, h1, h2, h3, h4, h5, h6, table") || root.lastElementChild;
      while (block.parentElement && block.parentElement !== root && root.contains(block.parentElement)) {
        if (block.parentElement.matches("ul, ol, table, figure, div.table-scroll")) block = block.parentElement;
        else break;
      }
      if (tools.previousElementSibling !== block) block.after(tools);
      tools.hidden = false;
      var rect = quote.range.getBoundingClientRect();
      var box = root.getBoundingClientRect();
      var width = tools.offsetWidth || 160;
      var left = Math.min(Math.max(rect.left - box.left, 0), Math.max(box.width - width, 0));
      tools.style.top = rect.bottom - box.top + 6 + "px";
      tools.style.left = left + "px";
    }

    function update() {
      if (tools.contains(document.activeElement)) return;
      map = map || textMap(root);
      var quote = selected(root, map);
      if (quote) place(quote);
      else tools.hidden = true;
    }

    document.addEventListener("selectionchange", function () {
      clearTimeout(timer);
      timer = setTimeout(update, 150);
    });
    document.addEventListener("keydown", function (event) {
      if (tools.hidden) return;
      var shortcut = event.altKey && event.shiftKey && (event.key === "Q" || event.key === "q");
      // Tab right after selecting goes to the button, wherever the browser's focus was.
      var tab = event.key === "Tab" && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey;
      if (shortcut || (tab && !tools.contains(document.activeElement))) {
        event.preventDefault();
        // The selection may have changed since the last (delayed) update: the link quotes it now.
        clearTimeout(timer);
        update();
        if (!tools.hidden) button.focus();
      }
      if (event.key === "Escape") tools.hidden = true;
    });
    window.addEventListener("resize", function () {
      if (!tools.hidden) update();
    });
    button.addEventListener("blur", function () {
      setTimeout(update, 0);
    });

    // The keyboard's way in: each paragraph has a "Quote this" button (shown when focused). It
    // selects the paragraph, and Shift+arrows then narrow or widen the selection; Tab (or
    // Alt+Shift+Q) reaches "Discuss this quote" as after any selection.
    root.querySelectorAll("p, li").forEach(function (paragraph, index) {
      if (paragraph.closest(SKIP) || paragraph.querySelector("p, li") || !paragraph.textContent.trim()) return;
      var quoteThis = document.createElement("button");
      quoteThis.type = "button";
      quoteThis.className = "quote-this";
      quoteThis.textContent = "Quote this";
      quoteThis.setAttribute("aria-label", "Quote this paragraph");
      quoteThis.dataset.paragraph = String(index);
      quoteThis.addEventListener("click", function () {
        var range = document.createRange();
        range.setStart(paragraph, 0);
        range.setEndBefore(quoteThis);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        map = map || textMap(root);
        var quote = selected(root, map);
        if (quote) place(quote);
      });
      paragraph.appendChild(quoteThis);
    });

    // Shift+arrows move the selection's end (Ctrl or Alt: by words), as in a text box: browsers
    // do that by themselves only in caret browsing, which few readers turn on.
    var STEPS = { ArrowLeft: "backward", ArrowRight: "forward", ArrowUp: "backward", ArrowDown: "forward" };
    document.addEventListener("keydown", function (event) {
      var direction = STEPS[event.key];
      if (!direction || !event.shiftKey || event.metaKey) return;
      var active = document.activeElement;
      if (active && (active.isContentEditable || active.matches("input, textarea, select"))) return;
      var selection = window.getSelection();
      if (!selection || selection.isCollapsed || !root.contains(selection.anchorNode)) return;
      if (typeof selection.modify !== "function") return;
      event.preventDefault();
      var lines = event.key === "ArrowUp" || event.key === "ArrowDown";
      selection.modify("extend", direction, lines ? "line" : event.ctrlKey || event.altKey ? "word" : "character");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("chapter-text");
    if (!root) return;
    highlightAll(root);
    setUpDiscussing(root);
  });
})();
