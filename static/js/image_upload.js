// Images in the editor (templates/notes/editing/_image_upload.html): pick a file with the
// "Insert image" button, paste one from the clipboard or drop one onto the text. Each is
// posted to the upload endpoint with the form's CSRF token; the Markdown that comes back
// is inserted at the cursor and the live preview refreshed. Progress and refusals are
// written into the role="status" line, which screen readers announce.
(() => {
  "use strict";

  function setUp(holder) {
    const textarea = document.getElementById(holder.dataset.textarea);
    if (!textarea) return;
    const url = holder.dataset.uploadUrl;
    const button = holder.querySelector("[data-image-pick]");
    const fileInput = holder.querySelector("[data-image-file]");
    const status = holder.querySelector("[data-image-status]");
    const tokenField = textarea.form && textarea.form.querySelector("[name=csrfmiddlewaretoken]");

    function say(text, isError) {
      status.textContent = text;
      status.classList.toggle("error", Boolean(isError));
    }

    function insert(markdown) {
      const start = textarea.selectionStart;
      const end = textarea.selectionEnd;
      const before = textarea.value.slice(0, start);
      const after = textarea.value.slice(end);
      // The image on a line of its own, so it never joins a word or a table row.
      const text = (before && !before.endsWith("\n") ? "\n" : "") + markdown + (after.startsWith("\n") ? "" : "\n");
      textarea.setRangeText(text, start, end, "end");
      textarea.focus();
      // django-markdownx refreshes its preview on "input".
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }

    function upload(file) {
      const data = new FormData();
      data.append("image", file, file.name || "image");
      const request = new XMLHttpRequest();
      request.open("POST", url);
      request.setRequestHeader("X-CSRFToken", tokenField ? tokenField.value : "");
      request.setRequestHeader("Accept", "application/json");
      request.upload.addEventListener("progress", (event) => {
        if (event.lengthComputable) {
          say(`Uploading ${file.name || "the image"}: ${Math.round((event.loaded / event.total) * 100)}%`);
        }
      });
      request.addEventListener("load", () => {
        let answer = {};
        try {
          answer = JSON.parse(request.responseText);
        } catch (error) {
          answer = {};
        }
        if (request.status === 201 && answer.markdown) {
          insert(answer.markdown);
          say(`Inserted ${file.name || "the image"}.`);
        } else if (request.status === 403 && !answer.error) {
          // Django's CSRF refusal is a page, not JSON: a stale page or an ended session.
          say(`${file.name || "The image"}: the upload was refused: the page is out of date or you were signed out. Copy your text, reload the page and try again.`, true);
        } else {
          say(`${file.name || "The image"}: ${answer.error || `the upload failed (HTTP ${request.status}).`}`, true);
        }
      });
      request.addEventListener("error", () => say(`${file.name || "The image"}: the upload failed, the site could not be reached.`, true));
      say(`Uploading ${file.name || "the image"}…`);
      request.send(data);
    }

    function uploadAll(files) {
      Array.from(files).forEach(upload);
    }

    holder.hidden = false;
    button.addEventListener("click", () => fileInput.click());
    fileInput.addEventListener("change", () => {
      uploadAll(fileInput.files);
      fileInput.value = "";
    });
    // Capture on the document, ahead of django-markdownx's own paste/drop handlers on the
    // textarea (they would post to an upload URL the wiki does not mount).
    document.addEventListener(
      "paste",
      (event) => {
        if (event.target !== textarea || !event.clipboardData || !event.clipboardData.files.length) return;
        event.preventDefault();
        event.stopPropagation();
        uploadAll(event.clipboardData.files);
      },
      true,
    );
    document.addEventListener(
      "drop",
      (event) => {
        if (event.target !== textarea) return;
        textarea.classList.remove("image-drop-target");
        if (!event.dataTransfer || !event.dataTransfer.files.length) return;
        event.preventDefault();
        event.stopPropagation();
        const position = document.caretPositionFromPoint && document.caretPositionFromPoint(event.clientX, event.clientY);
        if (position && position.offsetNode === textarea) {
          textarea.setSelectionRange(position.offset, position.offset);
        }
        uploadAll(event.dataTransfer.files);
      },
      true,
    );
    textarea.addEventListener("dragenter", () => textarea.classList.add("image-drop-target"));
    textarea.addEventListener("dragleave", () => textarea.classList.remove("image-drop-target"));
  }

  document.querySelectorAll("[data-image-upload]").forEach(setUp);
})();
