// Loaded in <head> without defer so the page is styled for script from its first paint.
// From our origin only (the Content-Security-Policy allows no inline script).
document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", () => {
  // The menu button folds the main navigation on narrow screens (site.css).
  const toggle = document.querySelector(".menu-toggle");
  const nav = document.getElementById(toggle ? toggle.getAttribute("aria-controls") : "");
  if (!toggle || !nav) return;
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    nav.classList.toggle("open", open);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && nav.classList.contains("open")) {
      nav.classList.remove("open");
      toggle.setAttribute("aria-expanded", "false");
      toggle.focus();
    }
  });
});
