/* Matrix page: a programme semester's UE × module table typed like the grade grid (after cells.js).
 * Keys as in the grade grid (cells.js); ← → change column once the caret is at the edge of the cell's text.
 * Each cell is checked as it is typed with curriculum/cell_values.py's pattern, rules and messages (the page's
 * json_script "matrix-script-data"); the totals follow the typing, summed in integer hundredths. The findings
 * (ECTS, competence levels, RCUE pairs, the 40–60 % pole weights of R12) come from the server: the table as
 * typed is posted to the findings URL (debounced), which runs curriculum's checks on it and writes nothing.
 * Nothing is saved here: the form is posted as a whole, and the server checks everything again. */
(function () {
  "use strict";

  const table = document.querySelector("table.matrix-editor");
  const setup = window.Cells && Cells.data("matrix-script-data");
  if (!table || !setup) return;
  const form = document.getElementById("matrix-form");
  const status = document.getElementById("matrix-status");
  const findingsList = document.getElementById("live-findings");
  const confirmButton = document.getElementById("matrix-confirm");
  const staleNote = document.getElementById("preview-stale");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const split = table.dataset.split === "1";
  const partnerNumber = table.dataset.partnerNumber;
  const PATTERN = new RegExp(setup.pattern);
  const RULES = setup.rules, MESSAGES = setup.messages, TEXTS = setup.texts;
  const HOURS = ["cm", "td", "tp", "project"];
  const FINDINGS_DELAY = 300;  // ms after the last keystroke

  // ---------------------------------------------------------------- one cell (as curriculum/cell_values.py)

  function parseNumber(raw, rule) {
    const text = Cells.clean(raw);
    const number = Cells.decimal(text, PATTERN);
    if (!number) return { error: Cells.message(MESSAGES.not_a_number, { raw: text, example: rule.example }) };
    if (number.negative) return { error: Cells.message(MESSAGES.negative, { value: number.shown, what: rule.what }) };
    const maximum = Cells.plain(rule.max);
    if (Cells.compare(number, maximum) > 0) {
      return { error: Cells.message(MESSAGES.too_large, { value: number.shown, maximum: maximum.shown,
                                                         what: rule.what }) };
    }
    if (number.scale > rule.places) {
      return { error: Cells.message(MESSAGES.decimals, { value: number.shown,
                                                        places: MESSAGES.places[rule.places] }) };
    }
    return { cents: Cells.hundredths(number), display: number.shown };
  }

  function parseCoefficient(raw) {
    const text = Cells.clean(raw);
    if (!text) return { absent: true, display: "" };
    if (text === setup.unknown) return { unknown: true, display: text };
    if (!PATTERN.test(text)) return { error: Cells.message(MESSAGES.not_a_coefficient, { raw: text }) };
    return parseNumber(text, RULES.coef);
  }

  function parse(input, raw) {
    const kind = input.dataset.kind;
    if (raw === undefined) raw = input.value;
    if (kind === "coef") return parseCoefficient(raw);
    if (kind === "hours") return Cells.clean(raw) ? parseNumber(raw, RULES.hours) : { cents: 0, display: "" };
    if (kind === "ects" || kind === "rcue") {
      if (!Cells.clean(raw)) return { error: Cells.message(MESSAGES.required, { what: input.getAttribute("aria-label") }) };
      return parseNumber(raw, RULES[kind]);
    }
    return { display: raw.trim() };
  }

  // ---------------------------------------------------------------- the table

  const inputs = Array.from(table.querySelectorAll("input.cell"));
  const lines = Array.from(table.querySelectorAll("thead tr, tbody tr"))
    .map(function (tr) { return Array.from(tr.querySelectorAll("input.cell")); })
    .filter(function (line) { return line.length; });
  const ues = Array.from(table.querySelectorAll("th.ue-head")).map(function (th) {
    const d = th.dataset;
    return {
      id: d.ue, code: d.code, head: th,
      deleteBox: th.querySelector("input[type=checkbox]"),
      partner: d.partnerCode ? { code: d.partnerCode, rcue: Cells.hundredths(Cells.plain(d.partnerRcue)) } : null,
    };
  });
  const rows = Array.from(table.querySelectorAll("tbody tr.module"));

  function cellOf(input) { return input.closest("td, th"); }

  function rowCode(tr) {
    const code = tr.querySelector("input[data-col=new-code]");
    return code ? code.value.trim() : tr.querySelector("th").textContent.trim();
  }

  function rowActive(tr) {
    const box = tr.querySelector("input.delete-module");
    if (box && box.checked) return false;
    return !tr.classList.contains("new-module") || rowCode(tr) !== "";
  }

  function rowPole(tr) {
    if (tr.dataset.pole) return tr.dataset.pole;
    const kind = tr.querySelector("select.new-module-kind");
    return kind && kind.value && kind.value !== "resource" ? "sae" : "resource";
  }

  function ueActive(ue) { return !(ue.deleteBox && ue.deleteBox.checked); }

  function input(tr, ueId, kind, hour) {
    let selector = "input[data-kind=" + kind + "]";
    if (ueId) selector += "[data-ue='" + ueId + "']";
    if (hour) selector += "[data-hour=" + hour + "]";
    return tr.querySelector(selector);
  }

  function crossError(coef) {
    // A module with hours in a UE needs a coefficient there (matrix_form.HOURS_WITHOUT_COEFFICIENT).
    if (!split || parse(coef).absent !== true) return "";
    const tr = coef.closest("tr");
    const ue = ues.find(function (u) { return u.id === coef.dataset.ue; });
    const hasHours = HOURS.some(function (h) { return parse(input(tr, coef.dataset.ue, "hours", h)).cents > 0; });
    if (!hasHours) return "";
    const code = tr.classList.contains("new-module") ? (rowCode(tr) || "Le nouveau module") : rowCode(tr);
    return Cells.message(TEXTS.hours_without_coefficient, { module: code, ue: ue.code });
  }

  // What the server refused stays shown until the cell is changed (a code already taken, say).
  inputs.forEach(function (el) {
    const message = cellOf(el).querySelector(".cell-status");
    el.dataset.loaded = el.value;
    el.dataset.serverError = message ? message.textContent.trim() : "";
  });

  function refresh(el) {
    const result = parse(el);
    const error = result.error || (el.dataset.kind === "coef" ? crossError(el) : "") ||
                  (el.value === el.dataset.loaded ? el.dataset.serverError : "");
    const td = cellOf(el);
    const saved = parse(el, el.dataset.saved || "");
    const changed = !error && result.display !== saved.display;
    td.classList.toggle("is-refused", Boolean(error));
    td.classList.toggle("is-changed", changed);
    el.setAttribute("aria-invalid", error ? "true" : "false");
    const message = td.querySelector(".cell-status");
    if (message) { message.textContent = error; message.title = error; }
    return { error: Boolean(error), changed: changed };
  }

  // ---------------------------------------------------------------- live totals (sums only: no rule here)

  function put(kind, ueId, text, level) {
    const selector = "td[data-total=" + kind + "]" + (ueId ? "[data-ue='" + ueId + "']" : "");
    const td = table.querySelector("tfoot " + selector);
    if (!td) return;
    if (text !== undefined) td.textContent = text;
    if (level !== undefined) {
      td.classList.toggle("bad", level === "error");
      td.classList.toggle("warn", level === "warning");
    }
  }

  function totals() {
    const show = Cells.showHundredths;
    let ectsTotal = 0, semesterCoef = 0, semesterUnknown = 0;
    const rowTotals = new Map(rows.map(function (tr) { return [tr, { known: 0, unknown: 0, count: 0 }]; }));
    const moduleHours = new Map(rows.map(function (tr) { return [tr, [0, 0, 0, 0]]; }));

    ues.forEach(function (ue) {
      const active = ueActive(ue);
      ue.head.classList.toggle("is-deleted", !active);
      if (!active) return;
      const pole = { resource: { known: 0, unknown: 0, count: 0 }, sae: { known: 0, unknown: 0, count: 0 } };
      const hours = [0, 0, 0, 0];
      rows.forEach(function (tr) {
        if (!rowActive(tr)) return;
        const r = parse(input(tr, ue.id, "coef"));
        if (r.absent) return;
        const p = pole[rowPole(tr)], t = rowTotals.get(tr);
        p.count += 1; t.count += 1;
        if (r.error || r.unknown) { p.unknown += 1; t.unknown += 1; }
        else { p.known += r.cents; t.known += r.cents; }
        if (split) {
          HOURS.forEach(function (h, i) {
            const value = parse(input(tr, ue.id, "hours", h)).cents || 0;
            hours[i] += value; moduleHours.get(tr)[i] += value;
          });
        }
      });
      const res = pole.resource, sae = pole.sae, total = res.known + sae.known;
      const unknown = res.unknown + sae.unknown, count = res.count + sae.count;
      semesterCoef += total; semesterUnknown += unknown;
      put("coef", ue.id, count ? (unknown && unknown === count ? "—" : show(total) + (unknown ? "*" : "")) : "—");
      const share = function (part) {
        return show(part.known) + (part.unknown ? "*" : "") +
               (!unknown && total > 0 ? " (" + Cells.percent(part.known, total) + " %)" : "");
      };
      put("resources", ue.id, share(res));
      put("sae", ue.id, share(sae));
      if (split) put("hours", ue.id, show(hours[0] + hours[1] + hours[2]) + " h (projet " + show(hours[3]) + " h)");
      const ects = parse(input(table, ue.id, "ects"));
      ectsTotal += ects.cents || 0;
      put("ects", ue.id, ects.error ? "?" : show(ects.cents));
      const rcue = parse(input(table, ue.id, "rcue"));
      if (!ue.partner) {
        put("rcue", ue.id, "aucune UE de S" + partnerNumber + " au même niveau", "error");
      } else if (!rcue.error && rcue.cents + ue.partner.rcue > 0) {
        const pair = rcue.cents + ue.partner.rcue;
        put("rcue", ue.id, "avec " + ue.partner.code + " : poids " + Cells.percent(rcue.cents, pair) + " % / " +
            Cells.percent(ue.partner.rcue, pair) + " %");
      } else {
        put("rcue", ue.id, "avec " + ue.partner.code);
      }
    });

    const newEcts = form.querySelector("input[name='ue-new-ects']"), newCode = form.querySelector("#new-ue-code");
    if (newCode && newCode.value.trim() && newEcts) ectsTotal += parseNumber(newEcts.value || "0", RULES.ects).cents || 0;
    put("semester-ects", "", show(ectsTotal));
    put("semester-coef", "", show(semesterCoef) + (semesterUnknown ? "*" : ""));
    rows.forEach(function (tr) {
      const t = rowTotals.get(tr);
      tr.querySelector("td[data-total=row]").textContent =
        !rowActive(tr) || !t.count ? "" : show(t.known) + (t.unknown ? "*" : "");
      tr.classList.toggle("is-deleted", !rowActive(tr) && !tr.classList.contains("new-module"));
      if (split) {
        tr.querySelectorAll("td[data-total=module-hours]").forEach(function (cell, i) {
          cell.textContent = rowActive(tr) ? show(moduleHours.get(tr)[i]) : "";
        });
      }
    });
  }

  // ---------------------------------------------------------------- findings, from the server

  let findingsTimer = null, findingsAsked = 0;

  function line(className, badge, text) {
    const li = document.createElement("li");
    li.className = className;
    if (badge) {
      const span = document.createElement("span");
      span.className = "badge " + (className === "error" ? "bad" : "warn");
      span.textContent = badge;
      li.append(span, " ");
    }
    li.append(text);
    return li;
  }

  function showFindings(findings) {
    findingsList.replaceChildren();
    if (!findings.length) findingsList.append(line("ok", "", TEXTS.no_finding));
    findings.forEach(function (f) { findingsList.append(line(f.level, f.label, f.message)); });
    mark(findings);
  }

  function mark(findings) {
    // The totals the findings are about, marked as the programme page marks them (none while they wait).
    const byUe = new Map(ues.map(function (ue) { return [ue.code, ue]; }));
    ues.forEach(function (ue) { put("resources", ue.id, undefined, ""); put("sae", ue.id, undefined, ""); });
    put("semester-ects", "", undefined, "");
    findings.forEach(function (f) {
      const ue = byUe.get(f.ue);
      if (f.code === "pole_weight" && ue) { put("resources", ue.id, undefined, f.level); put("sae", ue.id, undefined, f.level); }
      if (f.code === "ects_total") put("semester-ects", "", undefined, f.level);
    });
  }

  function askFindings() {
    const asked = ++findingsAsked;
    fetch(setup.findings_url, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "X-Requested-With": "fetch", "Accept": "application/json" },
    }).then(function (response) {
      return response.ok ? response.json() : Promise.reject(response.status);
    }).then(function (answer) {
      if (asked !== findingsAsked) return;  // a later request's answer follows
      if (answer.ok) showFindings(answer.findings);
      else { findingsList.replaceChildren(line("warning", "", answer.message)); mark([]); }
      findingsList.setAttribute("aria-busy", "false");
    }).catch(function () {
      if (asked !== findingsAsked) return;
      findingsList.replaceChildren(line("warning", "", TEXTS.findings_failed));
      mark([]);
      findingsList.setAttribute("aria-busy", "false");
    });
  }

  function findingsLater() {
    findingsList.setAttribute("aria-busy", "true");
    clearTimeout(findingsTimer);
    findingsTimer = setTimeout(askFindings, FINDINGS_DELAY);
  }

  // ---------------------------------------------------------------- the form

  function update() {
    let refused = 0, changed = 0;
    inputs.forEach(function (el) {
      const state = refresh(el);
      refused += state.error; changed += state.changed;
    });
    changed += form.querySelectorAll("input[type=checkbox]:checked").length;
    status.textContent = (changed ? Cells.message(TEXTS.changed, { count: changed }) : TEXTS.unchanged) +
                         (refused ? Cells.message(TEXTS.refused, { count: refused }) : "");
    status.classList.toggle("warning", changed > 0 || refused > 0);
    totals();
    return { refused: refused, changed: changed };
  }

  Cells.navigate({
    lines: lines,
    column: function (el) { return el.dataset.col; },
    caretFirst: true,
    escape: function (el) { el.value = el.dataset.saved || ""; el.select(); update(); findingsLater(); },
  });

  let submitting = false;
  form.addEventListener("input", function () {
    update();
    findingsLater();
    if (confirmButton) { confirmButton.disabled = true; if (staleNote) staleNote.hidden = false; }
  });
  form.addEventListener("change", function () { update(); findingsLater(); });
  form.addEventListener("keydown", function (event) {
    // Enter moves between cells; it never posts the form by accident.
    if (event.key === "Enter" && event.target.matches("input:not([type=submit])")) event.preventDefault();
  });
  form.addEventListener("submit", function (event) {
    const state = update();
    if (state.refused) {
      event.preventDefault();
      status.textContent = Cells.message(TEXTS.submit_refused, { count: state.refused });
      Cells.go(table.querySelector(".is-refused input"));
      return;
    }
    submitting = true;
  });
  Cells.guardUnload(function () { return !submitting && update().changed > 0; }, TEXTS.unsaved);

  update();
  findingsList.setAttribute("aria-busy", "true");
  askFindings();
})();
