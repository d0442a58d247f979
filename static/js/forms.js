// Focus that follows the person (issue 13):
// - A page that comes back with errors: focus (and scroll to) its error summary
//   ([data-error-summary], drawn by {% error_summary form %}), whose links lead to each field.
// - After an htmx swap that the person caused (a submit, or a swap that removed the element
//   they were on): focus the summary if the new content has one; otherwise the new content's
//   message ([data-focus-after-swap], .message, [role=status]) or heading, so the next Tab
//   continues from there and not from "Skip to content". A swap nobody asked for (polling,
//   a live preview, a filter while typing) leaves focus alone.
// - A success message in swapped content is announced because focus moves to it (a copy in
//   a live region would say it twice, and put its words twice in the page).
// A summary link moves focus to its field's input (not only scrolls to it).
// - A page marked [data-focus-on-load] (one step of several) starts with focus on it.
(function () {
  "use strict";

  function focusOn(element) {
    if (!element) {
      return false;
    }
    if (!element.matches("a[href], button, input, select, textarea, [tabindex]")) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus({ preventScroll: true });
    element.scrollIntoView({ block: "start" });
    return true;
  }

  function summaryIn(root) {
    if (root.matches && root.matches("[data-error-summary]")) {
      return root;
    }
    return root.querySelector ? root.querySelector("[data-error-summary]") : null;
  }

  // Tables on a phone (app.css): each body cell is labelled with its column's header text,
  // then the table is marked data-stacked, so CSS shows one block per row with every cell
  // under its name instead of hiding columns. Agreement tables (.ag-table) label their own.
  function labelTables(root) {
    var tables = root.querySelectorAll ? root.querySelectorAll("table:not(.ag-table)") : [];
    if (root.matches && root.matches("table:not(.ag-table)")) {
      tables = [root];
    }
    Array.prototype.forEach.call(tables, function (table) {
      var headRow = table.tHead && table.tHead.rows[0];
      if (!headRow) {
        return;
      }
      var names = [];
      Array.prototype.forEach.call(headRow.cells, function (cell) {
        var span = cell.colSpan || 1;
        for (var i = 0; i < span; i++) {
          names.push(cell.textContent.trim());
        }
      });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var column = 0;
          Array.prototype.forEach.call(row.cells, function (cell) {
            if (!cell.hasAttribute("data-label") && names[column]) {
              cell.setAttribute("data-label", names[column]);
            }
            column += cell.colSpan || 1;
          });
        });
      });
      table.setAttribute("data-stacked", "");
    });
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    labelTables(event.target);
  });

  // A page that is one step of several (the agreement's sections) starts at its heading
  // ([data-focus-on-load]) when it has no errors: the next Tab is its first field, not the
  // site's navigation again.
  function onLoad() {
    labelTables(document);
    if (!focusOn(summaryIn(document))) {
      focusOn(document.querySelector("[data-focus-on-load]"));
    }
  }

  // Which swap the person caused: set before the request, read after the swap settles.
  var pending = null;

  document.addEventListener("htmx:beforeRequest", function (event) {
    var config = event.detail.requestConfig || {};
    var trigger = config.triggeringEvent;
    var submitted = trigger ? trigger.type === "submit" : event.detail.elt.tagName === "FORM";
    pending = { submitted: submitted };
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var active = document.activeElement;
    var target = event.detail.target;
    if (!pending) {
      pending = { submitted: false };
    }
    pending.focusWasInside = !!(active && active !== document.body && target && target.contains(active));
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var state = pending;
    pending = null;
    if (!state) {
      return; // a second element of the same swap: handled already
    }
    var root = event.target;
    if (!root || !root.isConnected) {
      root = event.detail.target && event.detail.target.isConnected ? event.detail.target : document.body;
    }
    var summary = summaryIn(root);
    // The title says "Error: " while the page shows an error summary, as a reload would.
    var hasErrors = !!document.querySelector("[data-error-summary]");
    if (hasErrors && document.title.indexOf("Error: ") !== 0) {
      document.title = "Error: " + document.title;
    } else if (!hasErrors && document.title.indexOf("Error: ") === 0) {
      document.title = document.title.slice("Error: ".length);
    }
    if (summary && (state.submitted || state.focusWasInside)) {
      focusOn(summary);
      return;
    }
    var message = root.querySelector("[data-focus-after-swap], .message, [role=status]") ||
      (root.matches("[data-focus-after-swap], .message, [role=status]") ? root : null);
    if (!state.submitted && !state.focusWasInside) {
      return;
    }
    if (document.activeElement && document.activeElement !== document.body && root.contains(document.activeElement) && !state.submitted) {
      return; // still on something in the new content
    }
    focusOn(message || root.querySelector("h1, h2, h3, legend") || root);
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-summary] a[href^='#']");
    if (!link || link.dataset.line) {
      return; // the template editor's "Line N" links have their own handler
    }
    var input = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!input) {
      return;
    }
    event.preventDefault();
    // Scroll so the field's label (above the input) shows too.
    var field = input.closest(".field, .ag-field, fieldset") || input;
    field.scrollIntoView({ block: "start" });
    input.focus({ preventScroll: true });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onLoad);
  } else {
    onLoad();
  }
})();
