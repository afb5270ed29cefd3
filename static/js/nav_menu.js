// The header's links fold into a "Menu" on a phone: the <details> is open in the page (so it
// works without JavaScript) and closed here while the screen is narrow; wider, it is kept
// open and CSS hides its button.
(() => {
  const menu = document.querySelector("[data-nav-menu]");
  if (!menu) return;
  const narrow = window.matchMedia("(max-width: 40rem)");
  const fit = () => { menu.open = !narrow.matches; };
  fit();
  narrow.addEventListener("change", fit);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && narrow.matches && menu.open) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
})();
