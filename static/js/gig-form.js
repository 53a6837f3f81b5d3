// The gig form's extras: one row to start with, "Add an extra" adds another, up to the limit
// the server enforces too (Django's formset: the empty form, with its index filled in).
document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("add-extra");
  const rows = document.getElementById("extra-rows");
  const template = document.getElementById("extra-row-template");
  const total = document.getElementById("id_extras-TOTAL_FORMS");
  if (!button || !rows || !template || !total) return;
  const max = Number(button.dataset.max);
  const update = () => { button.hidden = Number(total.value) >= max; };
  button.addEventListener("click", () => {
    const index = Number(total.value);
    if (index >= max) return;
    const row = template.content.firstElementChild.cloneNode(true);
    row.querySelectorAll("[id], [name], [for]").forEach((element) => {
      for (const attribute of ["id", "name", "for"]) {
        const value = element.getAttribute(attribute);
        if (value) element.setAttribute(attribute, value.replaceAll("__prefix__", String(index)));
      }
    });
    rows.appendChild(row);
    total.value = String(index + 1);
    update();
    row.querySelector("input")?.focus();
  });
  update();
});
