// Suggestions under the header's search box as one types: a debounced request to the JSON
// endpoint, shown as an ARIA listbox. Arrow keys move the active option (announced through
// aria-activedescendant, focus stays in the box), Enter opens it, Escape closes the list.
// Without JavaScript the box is the plain search form it always was. A box marked
// data-suggest-fill (the search page's book filter) takes the chosen title as its value
// instead of opening the page.
(() => {
  const DELAY_MS = 200;
  const MIN_LENGTH = 2;

  function setUp(input) {
    const list = document.getElementById(input.getAttribute("aria-controls"));
    if (!list) return;
    let timer = null;
    let controller = null;
    let options = [];
    let active = -1;

    function close() {
      list.hidden = true;
      list.replaceChildren();
      options = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function activate(index) {
      options.forEach((option, place) => option.setAttribute("aria-selected", String(place === index)));
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(suggestions) {
      list.replaceChildren();
      options = suggestions.map((suggestion, index) => {
        const option = document.createElement("li");
        option.id = `${list.id}-${index}`;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.url = suggestion.url;
        option.textContent = suggestion.label;
        if (suggestion.context) {
          const context = document.createElement("span");
          context.className = "meta";
          context.textContent = suggestion.context;
          option.append(context);
        }
        // mousedown, not click: the box keeps focus, so its blur does not close the list first.
        option.addEventListener("mousedown", (event) => {
          event.preventDefault();
          choose(option);
        });
        list.append(option);
        return option;
      });
      active = -1;
      if (options.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
    }

    function choose(option) {
      if (input.hasAttribute("data-suggest-fill")) {
        input.value = option.firstChild.textContent;
        close();
      } else {
        window.location.assign(option.dataset.url);
      }
    }

    async function fetchSuggestions() {
      const text = input.value.trim();
      if (text.length < MIN_LENGTH) {
        close();
        return;
      }
      if (controller) controller.abort();
      controller = new AbortController();
      try {
        const url = new URL(input.dataset.suggestUrl, window.location.href);
        url.searchParams.set("q", text);
        const response = await fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } });
        if (!response.ok) {
          close();
          return;
        }
        const data = await response.json();
        if (input.value.trim() === text) show(data.suggestions || []);
      } catch (error) {
        if (error.name !== "AbortError") close();
      }
    }

    input.addEventListener("input", () => {
      // The titles shown were for the text before: none of them may be taken by Enter now.
      close();
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DELAY_MS);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" && options.length) {
        event.preventDefault();
        activate((active + 1) % options.length);
      } else if (event.key === "ArrowUp" && options.length) {
        event.preventDefault();
        activate(active <= 0 ? options.length - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(options[active]);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", close);
  }

  document.querySelectorAll("input[data-suggest-url]").forEach(setUp);
})();
