/* What both grids share (grid.js for grades, matrix.js for a programme's table), loaded before them as a classic
 * script (no inline script: the pages pass their data with Django's json_script):
 * - French decimals read exactly: a typed number is kept as an integer of units at its scale (BigInt), compared
 *   and summed in integer hundredths, never as a float;
 * - messages written from the Python constants' templates ("{value} > {max} (note maximale)");
 * - key navigation: Enter or ↓ goes to the cell below, ↑ above, ← → to the previous or next column, Échap
 *   restores the saved value, and a cell selects its text when it takes the focus;
 * - the warning before leaving a page with unsaved cells. */
(function () {
  "use strict";

  // ---------------------------------------------------------------- data from the page

  function data(id) {
    // The JSON a template wrote with `{{ value|json_script:id }}`.
    const element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function message(template, values) {
    // A Python str.format template filled in: "{value} : {places} au plus".
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function clean(raw) {
    return String(raw).replace(/\u00a0/g, " ").trim();
  }

  // ---------------------------------------------------------------- decimals

  function decimal(text, pattern) {
    // The number typed (comma or point), or null when it does not match the Python parser's pattern.
    // `shown` is its French text as butgmp.formats.format_decimal writes it: "12.50" -> "12,5", "-0" -> "0".
    if (!pattern.test(text)) return null;
    const negative = text.startsWith("-");
    let [whole, fraction = ""] = text.replace("-", "").replace(",", ".").split(".");
    fraction = fraction.replace(/0+$/, "");
    whole = whole.replace(/^0+(?=\d)/, "") || "0";
    const units = BigInt(whole + fraction);
    const sign = negative && units !== 0n;
    return { negative: sign, units: sign ? -units : units, scale: fraction.length,
             shown: (sign ? "-" : "") + whole + (fraction ? "," + fraction : "") };
  }

  function scaled(number, scale) {
    return number.units * 10n ** BigInt(scale - number.scale);
  }

  function compare(a, b) {
    // -1, 0 or 1, exactly, whatever the number of decimals.
    const scale = Math.max(a.scale, b.scale);
    const x = scaled(a, scale), y = scaled(b, scale);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  function plain(text) {
    // A number the server wrote ("20.00", "999.99"), read as a decimal.
    return decimal(String(text), /^-?[0-9]+(\.[0-9]*)?$/);
  }

  function hundredths(number) {
    // The number in integer hundredths (at most two decimals: the parsers refuse more).
    return Number(scaled(number, 2));
  }

  function showHundredths(cents) {
    // French text of an integer of hundredths, without trailing zeros: 1250 -> "12,5".
    const sign = cents < 0 ? "-" : "";
    const value = Math.abs(cents), whole = Math.floor(value / 100), rest = value % 100;
    return sign + whole + (rest ? "," + String(rest).padStart(2, "0").replace(/0$/, "") : "");
  }

  function percent(part, whole) {
    // part / whole in per cent, rounded half-up to one decimal, in French ("33,3"); both in hundredths, whole > 0.
    const tenths = Math.floor((part * 2000 + whole) / (2 * whole));
    return String(Math.floor(tenths / 10)) + (tenths % 10 ? "," + (tenths % 10) : "");
  }

  // ---------------------------------------------------------------- keyboard

  function atEdge(input, end) {
    const all = input.selectionStart === 0 && input.selectionEnd === input.value.length;
    return all || (end ? input.selectionStart === input.value.length : input.selectionEnd === 0);
  }

  function go(input) {
    if (input) { input.focus(); input.select(); }
  }

  function navigate(options) {
    // options.lines: the rows of inputs; options.column(input): what puts inputs one above the other;
    // options.leave(input): run before a move (the grade grid saves the cell); options.escape(input): Échap;
    // options.caretFirst: ← → move the caret inside the text first, and change column at its edge.
    const lines = options.lines;
    const leave = options.leave || function () {};

    function locate(input) {
      for (let i = 0; i < lines.length; i++) {
        const j = lines[i].indexOf(input);
        if (j >= 0) return [i, j];
      }
      return [-1, -1];
    }

    function vertical(input, delta) {
      const key = options.column(input);
      for (let i = locate(input)[0] + delta; lines[i]; i += delta) {
        const target = lines[i].find(function (other) { return options.column(other) === key; });
        if (target) return target;
      }
      return null;
    }

    lines.forEach(function (line) {
      line.forEach(function (input) {
        input.addEventListener("keydown", function (event) {
          if (event.key === "Enter" || event.key === "ArrowDown" || event.key === "ArrowUp") {
            event.preventDefault();
            leave(input);
            go(vertical(input, event.key === "ArrowUp" ? -1 : 1));
          } else if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
            const right = event.key === "ArrowRight";
            if (line.length < 2 || (options.caretFirst && !atEdge(input, right))) return;
            event.preventDefault();
            leave(input);
            const [i, j] = locate(input);
            go(lines[i][j + (right ? 1 : -1)]);
          } else if (event.key === "Escape" && options.escape) {
            options.escape(input);
          }
        });
        input.addEventListener("focus", function () { input.select(); });
      });
    });
  }

  // ---------------------------------------------------------------- leaving the page

  function guardUnload(hasUnsaved, text) {
    // Ask before leaving while hasUnsaved() (browsers show their own sentence; `text` where one is shown).
    window.addEventListener("beforeunload", function (event) {
      if (hasUnsaved()) { event.preventDefault(); event.returnValue = text || ""; }
    });
  }

  window.Cells = {
    data: data, message: message, clean: clean,
    decimal: decimal, plain: plain, compare: compare, hundredths: hundredths, showHundredths: showHundredths,
    percent: percent, navigate: navigate, go: go, guardUnload: guardUnload,
  };
})();
