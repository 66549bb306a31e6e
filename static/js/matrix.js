/* Matrix page: a programme semester's UE × module table typed like the grade grid.
 * Enter/↓ and ↑ move between rows of the same column, ← → between columns, Échap restores the saved value.
 * Each cell is checked as it is typed (same rules and messages as curriculum/cell_values.py); the totals,
 * the 30-ECTS check, the RCUE pairs and the 40–60 % pole weights (R12) follow the typing. Sums are exact:
 * numbers are handled as integer hundredths (every cell has at most two decimals). Nothing is saved here:
 * the form is posted as a whole, and the server checks everything again. */
(function () {
  "use strict";

  const table = document.querySelector("table.matrix-editor");
  if (!table) return;
  const form = document.getElementById("matrix-form");
  const status = document.getElementById("matrix-status");
  const findingsList = document.getElementById("live-findings");
  const confirmButton = document.getElementById("matrix-confirm");
  const staleNote = document.getElementById("preview-stale");
  const split = table.dataset.split === "1";
  const year = Number(table.dataset.year);
  const semesterNumber = table.dataset.semester;
  const partnerNumber = table.dataset.partnerNumber;
  const NUMBER = /^-?(\d+([.,]\d*)?|[.,]\d+)$/;
  const RULES = {
    coef: { what: "un coefficient", places: 2, max: "999.99", example: "2,5" },
    hours: { what: "un nombre d'heures", places: 1, max: "99999.9", example: "10,5" },
    ects: { what: "un nombre d'ECTS", places: 1, max: "999.9", example: "5" },
    rcue: { what: "un coefficient de RCUE", places: 2, max: "999.99", example: "1" },
  };
  const HOURS = ["cm", "td", "tp", "project"];

  // ---------------------------------------------------------------- numbers

  function fmt(text) {
    // French display of a plain decimal string, without trailing zeros: "12.50" -> "12,5", "-0" -> "0".
    let [int, dec = ""] = text.replace(",", ".").split(".");
    const negative = int.startsWith("-");
    int = int.replace("-", "").replace(/^0+(?=\d)/, "") || "0";
    dec = dec.replace(/0+$/, "");
    const shown = int + (dec ? "," + dec : "");
    return negative && shown !== "0" ? "-" + shown : shown;
  }

  function toCents(text) {
    let [int, dec = ""] = text.replace(",", ".").replace("-", "").split(".");
    dec = (dec + "00").slice(0, 2);
    return parseInt(int || "0", 10) * 100 + parseInt(dec, 10);
  }

  function centsText(cents) {
    const whole = Math.floor(cents / 100), rest = cents % 100;
    return String(whole) + (rest ? "," + String(rest).padStart(2, "0").replace(/0$/, "") : "");
  }

  function percentText(part, whole) {
    // part / whole in per cent, rounded half-up to one decimal (as the programme page shows it).
    const tenths = Math.floor((part * 2000 + whole) / (2 * whole));
    return String(Math.floor(tenths / 10)) + (tenths % 10 ? "," + (tenths % 10) : "");
  }

  function parseNumber(raw, rule) {
    const text = raw.replace(/\u00a0/g, " ").trim();
    if (!NUMBER.test(text)) {
      return { error: "« " + text + " » n'est pas un nombre : saisissez par exemple " + rule.example };
    }
    const shown = fmt(text);
    if (shown.startsWith("-")) return { error: shown + " < 0 : " + rule.what + " ne peut pas être négatif" };
    if (parseFloat(text.replace(",", ".")) > parseFloat(rule.max)) {
      return { error: shown + " > " + fmt(rule.max) + " : valeur trop grande pour " + rule.what };
    }
    const decimals = (shown.split(",")[1] || "").length;
    if (decimals > rule.places) {
      return { error: shown + " : " + (rule.places === 1 ? "une décimale" : "deux décimales") + " au plus" };
    }
    return { cents: toCents(shown), display: shown };
  }

  function parseCoefficient(raw) {
    const text = raw.replace(/\u00a0/g, " ").trim();
    if (!text) return { absent: true, display: "" };
    if (text === "?") return { unknown: true, display: "?" };
    if (!NUMBER.test(text)) {
      return { error: "« " + text + " » n'est pas un coefficient : saisissez un nombre (ex. 2,5), ? s'il n'est " +
                      "pas connu, ou videz la case si le module ne compte pas dans cette UE" };
    }
    return parseNumber(text, RULES.coef);
  }

  function parse(input, raw) {
    const kind = input.dataset.kind;
    if (raw === undefined) raw = input.value;
    if (kind === "coef") return parseCoefficient(raw);
    if (kind === "hours") return raw.trim() ? parseNumber(raw, RULES.hours) : { cents: 0, display: "" };
    if (kind === "ects" || kind === "rcue") {
      if (!raw.trim()) return { error: input.getAttribute("aria-label") + " : valeur obligatoire" };
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
      id: d.ue, code: d.code, level: d.level, head: th,
      deleteBox: th.querySelector("input[type=checkbox]"),
      partner: d.partnerCode ? { code: d.partnerCode, rcue: toCents(d.partnerRcue),
                                 resources: toCents(d.partnerResources), total: toCents(d.partnerTotal),
                                 complete: d.partnerComplete === "1" } : null,
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
    // A module with hours in a UE needs a coefficient there (as the server says).
    if (!split || parse(coef).absent !== true) return "";
    const tr = coef.closest("tr");
    const ue = ues.find(function (u) { return u.id === coef.dataset.ue; });
    const hasHours = HOURS.some(function (h) {
      const r = parse(input(tr, coef.dataset.ue, "hours", h));
      return r.cents > 0;
    });
    if (!hasHours) return "";
    const code = tr.classList.contains("new-module") ? (rowCode(tr) || "Le nouveau module") : rowCode(tr);
    return code + " a des heures dans " + ue.code + " : saisissez son coefficient (? s'il n'est pas connu) " +
           "ou videz aussi ses heures";
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

  // ---------------------------------------------------------------- live totals and checks

  function put(kind, ueId, text, level) {
    const selector = "td[data-total=" + kind + "]" + (ueId ? "[data-ue='" + ueId + "']" : "");
    const td = table.querySelector("tfoot " + selector);
    if (!td) return;
    td.textContent = text;
    td.classList.toggle("bad", level === "error");
    td.classList.toggle("warn", level === "warning");
  }

  function within(resources, total) { return 40 * total <= 100 * resources && 100 * resources <= 60 * total; }

  function recompute() {
    const findings = [];
    let ectsTotal = 0, semesterCoef = 0, semesterUnknown = 0;
    const rowTotals = new Map(rows.map(function (tr) { return [tr, { known: 0, unknown: 0, count: 0 }]; }));
    const moduleHours = new Map(rows.map(function (tr) { return [tr, [0, 0, 0, 0]]; }));

    ues.forEach(function (ue) {
      const active = ueActive(ue);
      ue.head.classList.toggle("is-deleted", !active);
      if (!active) return;
      const pole = { resource: { known: 0, unknown: 0, count: 0 }, sae: { known: 0, unknown: 0, count: 0 } };
      const hours = [0, 0, 0, 0];
      const unknownModules = [];
      rows.forEach(function (tr) {
        if (!rowActive(tr)) return;
        const r = parse(input(tr, ue.id, "coef"));
        if (r.absent) return;
        const p = pole[rowPole(tr)], t = rowTotals.get(tr);
        p.count += 1; t.count += 1;
        if (r.error || r.unknown) { p.unknown += 1; t.unknown += 1; unknownModules.push(rowCode(tr)); }
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
      const star = unknown ? "*" : "";
      put("coef", ue.id, count ? (unknown && unknown === count ? "—" : centsText(total) + star) : "—");
      let poleLevel = "";
      if (!unknown && total > 0 && !within(res.known, total)) {
        const partner = ue.partner;
        const pairHolds = year === 3 && partner && partner.complete && partner.total + total > 0 &&
                          within(res.known + partner.resources, total + partner.total);
        if (!pairHolds) {
          poleLevel = "warning";
          findings.push(["warning", ue.code + " : le pôle ressources pèse " + percentText(res.known, total) +
            " % et le pôle SAÉ " + percentText(sae.known, total) + " % des coefficients, hors de l'intervalle " +
            "40–60 % (R12)."]);
        }
      }
      const share = function (part) {
        return centsText(part.known) + (part.unknown ? "*" : "") +
               (!unknown && total > 0 ? " (" + percentText(part.known, total) + " %)" : "");
      };
      put("resources", ue.id, share(res), poleLevel);
      put("sae", ue.id, share(sae), poleLevel);
      if (split) {
        put("hours", ue.id, centsText(hours[0] + hours[1] + hours[2]) + " h (projet " + centsText(hours[3]) + " h)");
      }
      if (unknown) {
        findings.push(["warning", ue.code + " : coefficient non connu pour " + unknownModules.join(", ") +
          " ; les totaux de l'UE sont incomplets et le poids des pôles (R12) ne peut pas être vérifié."]);
      } else if (count === 0 || total === 0) {
        findings.push(["warning", ue.code + " : aucun coefficient, le poids des pôles ressources et SAÉ (R12) " +
          "ne peut pas être vérifié."]);
      }
      const ects = parse(input(table, ue.id, "ects"));
      ectsTotal += ects.cents || 0;
      put("ects", ue.id, ects.error ? "?" : centsText(ects.cents));
      const rcue = parse(input(table, ue.id, "rcue"));
      if (!ue.partner) {
        put("rcue", ue.id, "aucune UE de S" + partnerNumber + " au même niveau", "error");
        findings.push(["error", ue.code + " (" + ue.level + ") : aucune UE de S" + partnerNumber + " ne se " +
          "réfère à la même compétence au même niveau, le RCUE est incomplet."]);
      } else if (!rcue.error && rcue.cents + ue.partner.rcue > 0) {
        put("rcue", ue.id, "avec " + ue.partner.code + " : poids " + percentText(rcue.cents, rcue.cents + ue.partner.rcue) +
            " % / " + percentText(ue.partner.rcue, rcue.cents + ue.partner.rcue) + " %");
      } else {
        put("rcue", ue.id, "avec " + ue.partner.code);
      }
    });

    const newEcts = form.querySelector("input[name='ue-new-ects']"), newCode = form.querySelector("#new-ue-code");
    if (newCode && newCode.value.trim() && newEcts) {
      const r = parseNumber(newEcts.value || "0", RULES.ects);
      ectsTotal += r.cents || 0;
    }
    put("semester-ects", "", centsText(ectsTotal), ectsTotal === 3000 ? "" : "error");
    if (ectsTotal !== 3000) {
      findings.unshift(["error", "S" + semesterNumber + " : les ECTS des UE totalisent " + centsText(ectsTotal) +
        " au lieu de 30."]);
    }
    put("semester-coef", "", centsText(semesterCoef) + (semesterUnknown ? "*" : ""));
    rows.forEach(function (tr) {
      const t = rowTotals.get(tr);
      const td = tr.querySelector("td[data-total=row]");
      td.textContent = !rowActive(tr) || !t.count ? "" : centsText(t.known) + (t.unknown ? "*" : "");
      tr.classList.toggle("is-deleted", !rowActive(tr) && !tr.classList.contains("new-module"));
      if (split) {
        tr.querySelectorAll("td[data-total=module-hours]").forEach(function (cell, i) {
          cell.textContent = rowActive(tr) ? centsText(moduleHours.get(tr)[i]) : "";
        });
      }
    });
    showFindings(findings);
  }

  function showFindings(findings) {
    findingsList.replaceChildren();
    if (!findings.length) {
      const li = document.createElement("li");
      li.className = "ok"; li.textContent = "Aucun constat : ECTS, RCUE et poids des pôles sont conformes.";
      findingsList.append(li);
    }
    findings.sort(function (a, b) { return (a[0] === "error" ? 0 : 1) - (b[0] === "error" ? 0 : 1); });
    findings.forEach(function ([level, message]) {
      const li = document.createElement("li");
      li.className = level;
      const badge = document.createElement("span");
      badge.className = "badge " + (level === "error" ? "bad" : "warn");
      badge.textContent = level === "error" ? "Erreur" : "Avertissement";
      li.append(badge, " " + message);
      findingsList.append(li);
    });
  }

  function update() {
    let refused = 0, changed = 0;
    inputs.forEach(function (el) {
      const state = refresh(el);
      refused += state.error; changed += state.changed;
    });
    changed += form.querySelectorAll("input[type=checkbox]:checked").length;
    status.textContent = (changed ? changed + " modification(s) non enregistrée(s)" : "Aucune modification") +
                         (refused ? " · " + refused + " case(s) refusée(s)" : "");
    status.classList.toggle("warning", changed > 0 || refused > 0);
    recompute();
    return { refused: refused, changed: changed };
  }

  // ---------------------------------------------------------------- keyboard

  function locate(el) {
    for (let i = 0; i < lines.length; i++) {
      const j = lines[i].indexOf(el);
      if (j >= 0) return [i, j];
    }
    return [-1, -1];
  }

  function go(el) { if (el) { el.focus(); el.select(); } }

  function vertical(el, delta) {
    let i = locate(el)[0] + delta;
    while (lines[i]) {
      const target = lines[i].find(function (other) { return other.dataset.col === el.dataset.col; });
      if (target) { go(target); return; }
      i += delta;
    }
  }

  function horizontal(el, delta) {
    const [i, j] = locate(el);
    go(lines[i][j + delta]);
  }

  function atEdge(el, end) {
    const all = el.selectionStart === 0 && el.selectionEnd === el.value.length;
    return all || (end ? el.selectionStart === el.value.length : el.selectionEnd === 0);
  }

  inputs.forEach(function (el) {
    el.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === "ArrowDown") {
        event.preventDefault(); vertical(el, 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault(); vertical(el, -1);
      } else if (event.key === "ArrowLeft" && atEdge(el, false)) {
        event.preventDefault(); horizontal(el, -1);
      } else if (event.key === "ArrowRight" && atEdge(el, true)) {
        event.preventDefault(); horizontal(el, 1);
      } else if (event.key === "Escape") {
        el.value = el.dataset.saved || ""; el.select(); update();
      }
    });
    el.addEventListener("focus", function () { el.select(); });
  });

  // ---------------------------------------------------------------- form

  let submitting = false;
  form.addEventListener("input", function () {
    update();
    if (confirmButton) { confirmButton.disabled = true; if (staleNote) staleNote.hidden = false; }
  });
  form.addEventListener("change", function () { update(); });
  form.addEventListener("keydown", function (event) {
    // Enter moves between cells; it never posts the form by accident.
    if (event.key === "Enter" && event.target.matches("input:not([type=submit])")) event.preventDefault();
  });
  form.addEventListener("submit", function (event) {
    const state = update();
    if (state.refused) {
      event.preventDefault();
      status.textContent = state.refused + " case(s) refusée(s) : corrigez-les avant d'enregistrer (rien n'a été envoyé).";
      go(table.querySelector(".is-refused input"));
      return;
    }
    submitting = true;
  });
  window.addEventListener("beforeunload", function (event) {
    if (!submitting && update().changed) { event.preventDefault(); event.returnValue = ""; }
  });

  update();
})();
