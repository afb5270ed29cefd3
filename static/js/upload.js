// The upload form: choosing a file preselects the book it is about, when its name is a
// book's address ("designing-ml-systems.md") or its first line is a book's title. Only while
// the reader has not picked a book themself; the note under the list says what happened.
(() => {
  const form = document.querySelector("form.upload-form");
  if (!form) return;
  const input = form.querySelector("input[type=file]");
  const select = form.querySelector("select[name=book]");
  const note = form.querySelector("[data-book-match]");
  if (!input || !select || !note) return;
  let pickedByHand = false;

  const normal = (text) => text.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");

  select.addEventListener("change", () => { pickedByHand = true; note.textContent = ""; });

  input.addEventListener("change", async () => {
    const file = input.files && input.files[0];
    if (!file || pickedByHand) return;
    const stem = normal(file.name.replace(/\.[^.]+$/, ""));
    let firstLine = "";
    try {
      const head = await file.slice(0, 4096).text();
      firstLine = (head.split(/\r?\n/).find((line) => line.trim()) || "").replace(/^#+\s*/, "");
    } catch (error) {
      firstLine = "";
    }
    const title = normal(firstLine);
    const options = Array.from(select.options).filter((option) => option.value);
    const match =
      options.find((option) => option.value === stem) ||
      options.find((option) => normal(option.textContent) === stem) ||
      (title && options.find((option) => normal(option.textContent) === title || option.value === title));
    if (match) {
      select.value = match.value;
      note.textContent = `Changes to “${match.textContent}”: the file's ${match.value === stem || normal(match.textContent) === stem ? "name" : "title"} matches it. Choose “A new book” if it is not.`;
    } else {
      select.value = "";
      note.textContent = "";
    }
  });
})();
