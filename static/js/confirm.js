// Ask before an action that cannot be taken back: a form or a submit button carrying
// data-confirm="question" submits only when the user says yes. Without JavaScript the
// action still works, as before.
document.addEventListener("submit", (event) => {
  const holder = (event.submitter && event.submitter.closest("[data-confirm]")) || event.target.closest("form[data-confirm]");
  if (holder && !window.confirm(holder.dataset.confirm)) {
    event.preventDefault();
  }
});
