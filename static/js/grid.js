/* Grade grid (after cells.js): keyboard entry as cells.js moves (Enter/↓ next student, ↑ previous, ←/→ previous/
 * next evaluation, Échap cancels the typing), per-cell save without reloading, instant check of what is typed
 * (R1: the pattern and messages of grading/grade_text.py, from the json_script "grid-script-data"), per-cell state
 * (enregistrée / en attente / refusée / conflit), the averages beside a row refreshed after each saved cell
 * (every row's when R2 completeness changed), and a warning before leaving with unsaved cells. */
(function () {
  "use strict";

  const grid = document.querySelector("table.grade-grid");
  const setup = window.Cells && Cells.data("grid-script-data");
  if (!grid || !setup) return;
  const csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  const counter = document.getElementById("unsaved-count");
  const PATTERN = new RegExp(setup.pattern);
  const MESSAGES = setup.messages, TEXTS = setup.texts;

  function check(raw, max) {
    // What parse_grade says of the text typed: { display } or { error }.
    const text = Cells.clean(raw);
    if (!text) return { display: "" };
    const upper = text.toUpperCase();
    if (setup.codes.includes(upper)) return { display: upper };
    const maximum = Cells.plain(max);
    const number = Cells.decimal(text, PATTERN);
    if (!number) return { error: Cells.message(MESSAGES.not_a_grade, { raw: text, max: maximum.shown }) };
    if (number.negative) return { error: Cells.message(MESSAGES.negative, { value: number.shown }) };
    if (Cells.compare(number, maximum) > 0) {
      return { error: Cells.message(MESSAGES.above_max, { value: number.shown, max: maximum.shown }) };
    }
    if (number.scale > 2) return { error: Cells.message(MESSAGES.decimals, { value: number.shown }) };
    return { display: number.shown };
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
  const matrix = [];  // the rows of inputs, for the keys
  grid.querySelectorAll("tbody tr").forEach(function (tr) {
    const row = Array.from(tr.querySelectorAll("input.grade"));
    if (row.length) matrix.push(row);
  });

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
    counter.textContent = n ? Cells.message(TEXTS.unsaved_count, { count: n }) : TEXTS.all_saved;
    counter.classList.toggle("warning", n > 0);
  }

  function onInput(input) {
    const result = check(input.value, input.dataset.max);
    if (result.error) setState(input, "refused", result.error);
    else if (result.display !== input.dataset.saved) setState(input, "pending", TEXTS.pending);
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
    setState(input, "saving", TEXTS.saving);
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
        setState(input, "saved", data.changed ? TEXTS.saved : "");
        if (data.changed) { refreshAverages(input); refreshStatistics(); }
        if (dirty(input)) onInput(input);
      } else if (data.conflict) {
        input.dataset.serverVersion = data.version;
        setState(input, "conflict", data.error);
        offerConflictChoice(input, data);
      } else {
        setState(input, "refused", data.error || TEXTS.refused);
      }
      if (input.dataset.again === "1") { input.dataset.again = "0"; save(input); }
    }).catch(function () {
      input.dataset.inflight = "0";
      setState(input, "pending", TEXTS.network);
    });
  }

  function offerConflictChoice(input, data) {
    const status = statusOf(input);
    const keep = document.createElement("button");
    keep.type = "button"; keep.className = "mini"; keep.textContent = TEXTS.keep;
    keep.addEventListener("click", function () { save(input, true); });
    const take = document.createElement("button");
    take.type = "button"; take.className = "mini secondary"; take.textContent = Cells.message(TEXTS.take, { value: data.current || TEXTS.empty });
    take.addEventListener("click", function () {
      input.value = data.current; input.dataset.saved = data.current; input.dataset.version = data.version;
      setState(input, "saved", ""); input.focus();
    });
    status.append(" ", keep, " ", take);
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
  });
  Cells.navigate({
    lines: matrix,
    column: function (input) { return input.dataset.url; },
    leave: function (input) { save(input); },
    escape: function (input) { input.value = input.dataset.saved; onInput(input); },
  });
  Cells.guardUnload(function () { return unsaved().length > 0; }, TEXTS.unsaved);

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
