// A code block or table wider than the page scrolls sideways; a keyboard user reaches it with
// Tab (then scrolls it with the arrow keys) once it is focusable. Only the ones that do
// overflow are made so, and again when the window is resized, so short ones add no tab stop.
(() => {
  const SELECTOR = "main pre, main table, main .table-scroll";

  function mark() {
    document.querySelectorAll(SELECTOR).forEach((element) => {
      const overflows = element.scrollWidth > element.clientWidth + 1;
      if (overflows && !element.hasAttribute("tabindex")) {
        element.tabIndex = 0;
        element.dataset.scrollable = "";
        // A table keeps its own role; a code block or a table's wrapper becomes a named region.
        if (element.tagName !== "TABLE" && !element.hasAttribute("role")) {
          element.dataset.scrollable = "region";
          element.setAttribute("role", "region");
          element.setAttribute("aria-label", element.tagName === "PRE" ? "Code, scrolls sideways" : "Table, scrolls sideways");
        }
      } else if (!overflows && element.hasAttribute("data-scrollable")) {
        element.removeAttribute("tabindex");
        if (element.dataset.scrollable === "region") {
          element.removeAttribute("role");
          element.removeAttribute("aria-label");
        }
        element.removeAttribute("data-scrollable");
      }
    });
  }

  let timer = null;
  mark();
  window.addEventListener("resize", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(mark, 150);
  });
})();
