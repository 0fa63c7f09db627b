// Drag and drop onto the upload form's file field. Without this file the ordinary file
// picker works the same: this only lets a dropped file fill that same <input type=file>.
document.addEventListener("DOMContentLoaded", () => {
  for (const zone of document.querySelectorAll("[data-dropzone]")) {
    const input = zone.querySelector("input[type=file]");
    const hint = zone.querySelector("[data-dropzone-hint]");
    const name = zone.querySelector("[data-dropzone-name]");
    if (!input) continue;
    if (hint) hint.hidden = false;
    const show = () => {
      if (name) name.textContent = input.files.length ? input.files[0].name : "";
    };
    input.addEventListener("change", show);
    zone.addEventListener("dragover", (event) => {
      event.preventDefault();
      zone.classList.add("is-dragover");
    });
    zone.addEventListener("dragleave", () => zone.classList.remove("is-dragover"));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("is-dragover");
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        show();
      }
    });
  }
});
