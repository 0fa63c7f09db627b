// Small progressive enhancements; every page works without this file.

// Wide tables scroll inside their own container, not the page (WCAG 1.4.10, 320 px): the
// container is a focusable region named after the table's caption, so keyboard users can scroll.
function wrapTables(root) {
  root.querySelectorAll("table").forEach((table) => {
    const parent = table.parentElement;
    if (!parent || parent.classList.contains("table-wrap") || parent.classList.contains("table-scroll")) return;
    const wrap = document.createElement("div");
    wrap.className = "table-wrap";
    wrap.setAttribute("tabindex", "0");
    wrap.setAttribute("role", "region");
    const caption = table.querySelector("caption");
    const name = caption ? caption.textContent.trim() : table.getAttribute("aria-label");
    if (name) wrap.setAttribute("aria-label", name);
    parent.insertBefore(wrap, table);
    wrap.appendChild(table);
  });
}

// After a partial swap, focus moves to what changed, so that screen readers announce it and
// keyboard users do not start again from <body>: the element marked [data-focus-after-swap], else
// the first alert or status message, else the first heading, else the swapped element itself.
function focusAfterSwap(target) {
  if (!target || !target.isConnected) return;
  const found =
    target.querySelector("[data-focus-after-swap]") ||
    target.querySelector('[role="alert"], .error-summary, .errorlist, [role="status"], .message') ||
    target.querySelector("h1, h2, h3, h4, caption") ||
    target;
  if (!found.hasAttribute("tabindex") && !found.matches("a[href], button, input, select, textarea")) {
    found.setAttribute("tabindex", "-1");
  }
  found.focus({ preventScroll: false });
}

// A polite live region: what a filter changed is read out while focus stays in the filter.
function announce(text) {
  let region = document.getElementById("swap-announcer");
  if (!region) {
    region = document.createElement("div");
    region.id = "swap-announcer";
    region.className = "visually-hidden";
    region.setAttribute("aria-live", "polite");
    document.body.appendChild(region);
  }
  region.textContent = "";
  window.setTimeout(() => { region.textContent = text; }, 50);
}

function swappedElement(detail) {
  const target = detail.target;
  if (target && target.isConnected) return target;
  return target && target.id ? document.getElementById(target.id) : null;
}

document.addEventListener("DOMContentLoaded", () => wrapTables(document));
document.addEventListener("htmx:load", (event) => wrapTables(event.detail.elt));
document.addEventListener("htmx:afterSettle", (event) => {
  const swapped = swappedElement(event.detail);
  if (!swapped) return;
  const trigger = event.detail.requestConfig ? event.detail.requestConfig.elt : event.detail.elt;
  const how = String((trigger && trigger.getAttribute && trigger.getAttribute("hx-trigger")) || "");
  const active = document.activeElement;
  const idle = !active || active === document.body || !active.isConnected || swapped.contains(active);
  if (/\b(load|every)\b/.test(how)) {
    // A polling refresh takes focus only to announce its outcome, and only when the user is not
    // busy elsewhere on the page.
    const outcome = swapped.querySelector("[data-focus-after-swap]");
    if (outcome && idle) focusAfterSwap(swapped);
    return;
  }
  const form = trigger && trigger.closest ? trigger.closest("form") : null;
  const stillTyping = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent &&
    /^(change|input|keyup)$/.test(event.detail.requestConfig.triggeringEvent.type) &&
    form && active && form.contains(active);
  if (stillTyping) {
    // Changing a filter keeps focus in the filter; the new result is read out.
    const heading = swapped.querySelector("[data-focus-after-swap], h2, h3, caption, [role=status]");
    if (heading) announce(heading.textContent.trim());
    return;
  }
  focusAfterSwap(swapped);
});
