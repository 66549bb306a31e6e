// The "tick every row" box of a table with a bulk-action form (its header checkbox has class select-all).
document.addEventListener("change", (event) => {
  const box = event.target;
  if (!box.matches("input.select-all")) return;
  const table = box.closest("table");
  table.querySelectorAll(`tbody input[type=checkbox][form="${box.getAttribute("form")}"]`)
    .forEach((row) => { row.checked = box.checked; });
});
