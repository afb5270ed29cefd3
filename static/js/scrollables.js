// A code block or table wider than the page scrolls sideways; a keyboard user reaches it with
// Tab (then scrolls it with the arrow keys) once it is focusable. Only the ones that do
// overflow are made so, and again whenever one changes size (a resized window, a panel shown),
// so short ones add no tab stop. A ResizeObserver answers within the frame of the change, so
// nothing reads the page between a resize and its marking, as a debounced timer would allow.
(() => {
  const SELECTOR = "main pre, main table, main .table-scroll";

  function mark(elements) {
    elements.forEach((element) => {
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

  const elements = Array.from(document.querySelectorAll(SELECTOR));
  mark(elements);
  if ("ResizeObserver" in window) {
    const observer = new ResizeObserver((entries) => mark(entries.map((entry) => entry.target)));
    elements.forEach((element) => observer.observe(element));
  } else {
    window.addEventListener("resize", () => mark(elements));
  }
})();
