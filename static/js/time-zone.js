// The time zone picker (accounts): the browser's own zone, and a search over the long list.
// - <select data-browser-zone="preselect">: until the person has chosen a zone, select the
//   one the browser reports, if the list has it.
// - <input data-browser-zone="fill">: a hidden field (the sign-in form) given that zone.
// - <input data-zone-filter="ID">: typing hides the options of select#ID that do not match
//   (city, country or zone name); its field is hidden without JavaScript.
(function () {
  "use strict";
  var browserZone = "";
  try {
    browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (e) {
    browserZone = "";
  }

  function init() {
    document.querySelectorAll('input[data-browser-zone="fill"]').forEach(function (input) {
      input.value = browserZone;
    });
    document.querySelectorAll('select[data-browser-zone="preselect"]').forEach(function (select) {
      var option = browserZone && select.querySelector('option[value="' + CSS.escape(browserZone) + '"]');
      if (option) {
        select.value = browserZone;
      }
    });
    document.querySelectorAll("input[data-zone-filter]").forEach(function (input) {
      var select = document.getElementById(input.dataset.zoneFilter);
      if (!select) {
        return;
      }
      var field = input.closest(".zone-search");
      if (field) {
        field.hidden = false;
      }
      input.addEventListener("input", function () {
        var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
        var first = null;
        select.querySelectorAll("option").forEach(function (option) {
          var text = (option.textContent + " " + option.value).toLowerCase().replace(/_/g, " ");
          var match = words.every(function (word) { return text.indexOf(word) !== -1; });
          option.hidden = !match;
          if (match && !first) {
            first = option;
          }
        });
        select.querySelectorAll("optgroup").forEach(function (group) {
          group.hidden = !group.querySelector("option:not([hidden])");
        });
        if (first && words.length && select.selectedOptions[0] && select.selectedOptions[0].hidden) {
          select.value = first.value;
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
