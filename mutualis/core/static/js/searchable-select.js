/* A select of many options (the 600 members of an operator) becomes a search field:
   type « merig » or « Mérig » and pick « Mérignac ». The select stays in the form and
   is what the server receives; without JavaScript it is an ordinary select.
   The field is GOV.UK's accessible-autocomplete (vendor/accessible-autocomplete),
   tested with screen readers; its messages are given here in French. */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function enhance(select) {
    if (select.dataset.enhanced) return;
    select.dataset.enhanced = "1";
    // Labels shown in the list; two options with the same text get their value added,
    // so that a choice always names exactly one option.
    var seen = {};
    var options = [].filter.call(select.options, function (o) { return o.value; });
    options.forEach(function (o) { var t = o.textContent.trim(); seen[t] = (seen[t] || 0) + 1; });
    var byLabel = {};
    var labels = options.map(function (o) {
      var t = o.textContent.trim();
      var label = seen[t] > 1 ? t + " (n° " + o.value + ")" : t;
      byLabel[label] = o;
      return label;
    });
    var folded = labels.map(fold);
    var selected = select.options[select.selectedIndex];
    var current = selected && selected.value ? labels[options.indexOf(selected)] : "";

    function choose(label) {
      var option = label ? byLabel[label] : null;
      select.value = option ? option.value : "";
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    window.accessibleAutocomplete.enhanceSelectElement({
      selectElement: select,
      defaultValue: current,
      showAllValues: true,
      dropdownArrow: function () { return ""; },
      displayMenu: "overlay",
      minLength: 0,
      source: function (query, populate) {
        var words = fold(query).split(/\s+/).filter(Boolean);
        var found = [];
        for (var i = 0; i < labels.length && found.length < 50; i++) {
          if (words.every(function (w) { return folded[i].indexOf(w) !== -1; })) found.push(labels[i]);
        }
        populate(found);
      },
      onConfirm: function (label) { if (label) choose(label); },
      tNoResults: function () { return "Aucun résultat"; },
      tStatusQueryTooShort: function (n) { return "Tapez au moins " + n + " caractères pour voir des résultats"; },
      tStatusNoResults: function () { return "Aucun résultat"; },
      tStatusSelectedOption: function (option, length, index) {
        return option + " (" + (index + 1) + " sur " + length + ") est en surbrillance";
      },
      tStatusResults: function (length, highlighted) {
        var words = length === 1 ? "1 résultat disponible" : length + " résultats disponibles";
        return words + ". " + highlighted;
      },
      tAssistiveHint: function () {
        return "Tapez quelques lettres ; parcourez les résultats avec les flèches haut et bas, validez avec Entrée.";
      },
    });
    // Emptying the field empties the choice (the wrapper would keep the previous one).
    var input = document.getElementById(select.id.replace(/-select$/, ""));
    if (input) {
      input.addEventListener("blur", function () {
        if (!input.value.trim()) choose("");
        else if (!byLabel[input.value]) { input.value = current; }
        else { current = input.value; }
      });
    }
  }

  function enhanceAll(root) {
    if (!window.accessibleAutocomplete) return;
    (root || document).querySelectorAll("select[data-searchable]").forEach(enhance);
  }

  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  document.addEventListener("htmx:load", function (event) { enhanceAll(event.target); });
})();
