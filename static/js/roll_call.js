// The roll call: everyone present by default; a tap on a name cycles present → absent → late; the keys A, R and P
// set the status of the focused student and move to the next one; the counts above the list follow.
(() => {
  const form = document.getElementById("roll-call");
  if (!form) return;
  const order = ["present", "absent", "late"];
  const keys = { a: "absent", r: "late", p: "present" };
  const rows = Array.from(form.querySelectorAll(".roll-row"));

  const status = (row) => (row.querySelector("input[type=radio]:checked") || {}).value || "present";
  const refresh = () => {
    for (const name of ["absent", "late"]) {
      const count = rows.filter((row) => status(row) === name).length;
      form.querySelector(`[data-count="${name}"]`).textContent = String(count);
    }
    rows.forEach((row) => { row.className = `roll-row status-${status(row)}`; });
  };
  const set = (row, value) => {
    row.querySelector(`input[value="${value}"]`).checked = true;
    refresh();
  };
  const focusRow = (index) => {
    const row = rows[Math.max(0, Math.min(rows.length - 1, index))];
    if (row) row.querySelector(".roll-name").focus();
  };

  form.addEventListener("click", (event) => {
    const name = event.target.closest(".roll-name");
    if (!name) return;
    const row = name.closest(".roll-row");
    set(row, order[(order.indexOf(status(row)) + 1) % order.length]);
  });
  form.addEventListener("change", refresh);
  form.addEventListener("keydown", (event) => {
    const row = event.target.closest(".roll-row");
    if (!row || event.ctrlKey || event.metaKey || event.altKey) return;
    const index = rows.indexOf(row);
    const value = keys[event.key.toLowerCase()];
    if (value) {
      event.preventDefault();
      set(row, value);
      focusRow(index + 1);
    } else if (event.key === "ArrowDown" && event.target.matches(".roll-name")) {
      event.preventDefault();
      focusRow(index + 1);
    } else if (event.key === "ArrowUp" && event.target.matches(".roll-name")) {
      event.preventDefault();
      focusRow(index - 1);
    }
  });
  refresh();
})();
