/* Grade grid: keyboard entry (Enter/↓ next student, ↑ previous, ←/→ previous/next evaluation), per-cell save
 * without reloading, instant check of what is typed (R1, same messages as grading/grade_text.py), per-cell state
 * (enregistrée / en attente / refusée / conflit), the averages beside a row refreshed after each saved cell
 * (every row's when R2 completeness changed), and a warning before leaving with unsaved cells. */
(function () {
  "use strict";

  const grid = document.querySelector("table.grade-grid");
  if (!grid) return;
  const csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  const counter = document.getElementById("unsaved-count");
  const CODES = ["ABS", "EXC", "ATT"];
  const NUMBER = /^-?(\d+([.,]\d*)?|[.,]\d+)$/;

  function fmt(text) {
    // French display of a plain decimal string, without trailing zeros: "12.50" -> "12,5".
    let [int, dec = ""] = text.replace(",", ".").split(".");
    const negative = int.startsWith("-");
    int = int.replace("-", "").replace(/^0+(?=\d)/, "") || "0";
    dec = dec.replace(/0+$/, "");
    return (negative ? "-" : "") + int + (dec ? "," + dec : "");
  }

  function decimals(shown) {
    const parts = shown.split(",");
    return parts.length > 1 ? parts[1].length : 0;
  }

  function greater(a, b) {
    const x = parseFloat(a.replace(",", ".")), y = parseFloat(b.replace(",", "."));
    return x > y + 1e-9;
  }

  function check(raw, max) {
    const text = raw.replace(/\u00a0/g, " ").trim();
    if (!text) return { display: "" };
    const upper = text.toUpperCase();
    if (CODES.includes(upper)) return { display: upper };
    const maxText = fmt(max);
    if (!NUMBER.test(text)) {
      return { error: "« " + text + " » n'est pas une note : saisissez un nombre de 0 à " + maxText +
                      " (ex. 12,5), ou ABS, EXC, ATT" };
    }
    const shown = fmt(text);
    if (text.startsWith("-") && shown !== "0" && shown !== "-0") {
      return { error: shown + " < 0 (une note ne peut pas être négative)" };
    }
    if (greater(text, max)) return { error: shown + " > " + maxText + " (note maximale)" };
    if (decimals(shown) > 2) return { error: shown + " : deux décimales au plus" };
    return { display: shown.replace(/^-/, "") };
  }

  // Each column's header carries its evaluation's save URL and maximum, given to its cells once here.
  const columns = Array.from(grid.querySelectorAll("thead th[data-url]"));
  grid.querySelectorAll("tbody tr").forEach(function (tr) {
    tr.querySelectorAll("input.grade").forEach(function (input, c) {
      input.dataset.url = columns[c].dataset.url;
      input.dataset.max = columns[c].dataset.max;
    });
  });
  const inputs = Array.from(grid.querySelectorAll("input.grade"));
  const matrix = [];  // rows of inputs, by column index
  grid.querySelectorAll("tbody tr").forEach(function (tr) {
    const row = Array.from(tr.querySelectorAll("input.grade"));
    if (row.length) matrix.push(row);
  });

  function position(input) {
    for (let r = 0; r < matrix.length; r++) {
      const c = matrix[r].indexOf(input);
      if (c >= 0) return [r, c];
    }
    return [-1, -1];
  }

  function statusOf(input) {
    return input.closest("td").querySelector(".cell-status");
  }

  function setState(input, state, message) {
    const td = input.closest("td");
    td.classList.remove("is-saved", "is-pending", "is-refused", "is-conflict", "is-saving");
    if (state) td.classList.add("is-" + state);
    const status = statusOf(input);
    status.textContent = message || "";
    status.title = message || "";
    input.setAttribute("aria-invalid", state === "refused" || state === "conflict" ? "true" : "false");
    updateCounter();
  }

  function dirty(input) {
    return check(input.value, input.dataset.max).display !== input.dataset.saved;
  }

  function unsaved() {
    return inputs.filter(function (i) { return dirty(i) || i.dataset.inflight === "1"; });
  }

  function updateCounter() {
    if (!counter) return;
    const n = unsaved().length;
    counter.textContent = n ? n + " note(s) non enregistrée(s)" : "Toutes les notes sont enregistrées";
    counter.classList.toggle("warning", n > 0);
  }

  function onInput(input) {
    const result = check(input.value, input.dataset.max);
    if (result.error) setState(input, "refused", result.error);
    else if (result.display !== input.dataset.saved) setState(input, "pending", "à enregistrer");
    else setState(input, "saved", "");
  }

  function save(input, force) {
    const result = check(input.value, input.dataset.max);
    if (result.error) { setState(input, "refused", result.error); return; }
    if (result.display === input.dataset.saved && !force) {
      if (!input.closest("td").classList.contains("is-saved")) setState(input, "saved", "");
      return;
    }
    if (input.dataset.inflight === "1") { input.dataset.again = "1"; return; }
    const sent = input.value;
    const body = new FormData();
    body.append("enrolment", input.dataset.enrolment);
    body.append("value", sent);
    body.append("version", force ? input.dataset.serverVersion : input.dataset.version);
    input.dataset.inflight = "1";
    setState(input, "saving", "enregistrement…");
    fetch(input.dataset.url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "X-Requested-With": "fetch", "Accept": "application/json" },
    }).then(function (response) {
      return response.json().then(function (data) { return [response.status, data]; });
    }).then(function ([status, data]) {
      input.dataset.inflight = "0";
      if (data.ok) {
        input.dataset.saved = data.value;
        input.dataset.version = data.version;
        if (input.value === sent && input.value !== data.value) {
          // Show the canonical value ("abs" -> "ABS") without losing the selection the secretary may have
          // made by coming back to this cell meanwhile: typing must still replace the whole value.
          const selected = document.activeElement === input && input.selectionStart === 0 &&
                           input.selectionEnd === input.value.length;
          input.value = data.value;
          if (selected) input.select();
        }
        setState(input, "saved", data.changed ? "enregistrée" : "");
        if (data.changed) { refreshAverages(input); refreshStatistics(); }
        if (dirty(input)) onInput(input);
      } else if (data.conflict) {
        input.dataset.serverVersion = data.version;
        setState(input, "conflict", data.error);
        offerConflictChoice(input, data);
      } else {
        setState(input, "refused", data.error || "refusée");
      }
      if (input.dataset.again === "1") { input.dataset.again = "0"; save(input); }
    }).catch(function () {
      input.dataset.inflight = "0";
      setState(input, "pending", "non enregistrée (réseau) – réessayez");
    });
  }

  function offerConflictChoice(input, data) {
    const status = statusOf(input);
    const keep = document.createElement("button");
    keep.type = "button"; keep.className = "mini"; keep.textContent = "garder ma saisie";
    keep.addEventListener("click", function () { save(input, true); });
    const take = document.createElement("button");
    take.type = "button"; take.className = "mini secondary"; take.textContent = "reprendre « " + (data.current || "vide") + " »";
    take.addEventListener("click", function () {
      input.value = data.current; input.dataset.saved = data.current; input.dataset.version = data.version;
      setState(input, "saved", ""); input.focus();
    });
    status.append(" ", keep, " ", take);
  }

  function move(input, rows, columns) {
    const [r, c] = position(input);
    const target = matrix[r + rows] && matrix[r + rows][c + columns];
    if (target) { target.focus(); target.select(); }
  }

  // Averages beside the rows: the saved row's, then every row's when R2 completeness changed.
  const averagesUrl = grid.dataset.averagesUrl;
  let incomplete = grid.dataset.incomplete || "";
  let wholeRequest = 0;

  function showAverages(averages) {
    Object.keys(averages).forEach(function (enrolment) {
      const tr = grid.querySelector('tbody tr[data-enrolment="' + enrolment + '"]');
      if (!tr) return;
      tr.querySelectorAll("td.average[data-ue]").forEach(function (td) {
        td.textContent = averages[enrolment][td.dataset.ue] || "–";
      });
    });
  }

  function fetchAverages(params) {
    const url = averagesUrl + "?" + new URLSearchParams(params).toString();
    return fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch", "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); });
  }

  function refreshAverages(input) {
    if (!averagesUrl) return;
    const tr = input.closest("tr");
    const asked = String(Number(tr.dataset.averagesAsked || 0) + 1);
    tr.dataset.averagesAsked = asked;
    fetchAverages({ inscription: input.dataset.enrolment }).then(function (data) {
      if (!data.ok) return;
      if (tr.dataset.averagesAsked === asked) showAverages(data.averages);  // else a later save's answer follows
      const now = data.incomplete.join(",");
      if (now === incomplete) return;
      incomplete = now;
      const mine = ++wholeRequest;
      const group = new URLSearchParams(window.location.search).get("groupe") || "";
      fetchAverages({ groupe: group }).then(function (all) {
        if (all.ok && mine === wholeRequest) showAverages(all.averages);
      }).catch(function () {});
    }).catch(function () {});
  }

  // The statistics under the grid (count, mean, histogram…), drawn again on the server after each saved cell.
  let statisticsAsked = 0;
  function refreshStatistics() {
    const block = document.getElementById("grid-statistics");
    if (!block || !block.dataset.statisticsUrl) return;
    const mine = ++statisticsAsked;
    fetch(block.dataset.statisticsUrl, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        const current = document.getElementById("grid-statistics");
        if (mine === statisticsAsked && current) current.outerHTML = html;  // else a later save's answer follows
      }).catch(function () {});
  }

  inputs.forEach(function (input) {
    input.addEventListener("input", function () { onInput(input); });
    input.addEventListener("change", function () { save(input); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === "ArrowDown") {
        event.preventDefault(); save(input); move(input, 1, 0);
      } else if (event.key === "ArrowUp") {
        event.preventDefault(); save(input); move(input, -1, 0);
      } else if ((event.key === "ArrowLeft" || event.key === "ArrowRight") && matrix[0] && matrix[0].length > 1) {
        event.preventDefault(); save(input); move(input, 0, event.key === "ArrowLeft" ? -1 : 1);
      } else if (event.key === "Escape") {
        input.value = input.dataset.saved; onInput(input);
      }
    });
    input.addEventListener("focus", function () { input.select(); });
  });

  window.addEventListener("beforeunload", function (event) {
    if (unsaved().length) { event.preventDefault(); event.returnValue = ""; }
  });

  // The "historique" link of a row opens the grade's audit trail in a side panel.
  const panel = document.getElementById("history-panel");
  grid.addEventListener("click", function (event) {
    const link = event.target.closest("a.history-link");
    if (!link || !panel) return;
    event.preventDefault();
    fetch(link.href, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        panel.querySelector(".panel-body").innerHTML = html;
        panel.hidden = false;
      });
  });
  if (panel) {
    panel.querySelector(".panel-close").addEventListener("click", function () { panel.hidden = true; });
  }

  updateCounter();
})();
