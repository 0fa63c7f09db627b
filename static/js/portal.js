// Small progressive enhancements; every page works without this file.
document.addEventListener("htmx:afterSwap", (event) => {
  // After a partial swap, move focus to the first alert or heading in it, for screen readers.
  const target = event.detail.target;
  const focusable = target.querySelector("[data-focus-after-swap]");
  if (focusable) { focusable.setAttribute("tabindex", "-1"); focusable.focus(); }
});
