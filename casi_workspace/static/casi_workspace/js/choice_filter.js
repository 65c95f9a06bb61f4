// A long list of checkboxes (includes/choice_fieldset.html) gets a box that hides the choices not matching what
// one types, accents and case aside; ticked choices always stay shown. Without script the list just scrolls.
(function () {
  "use strict";
  const plain = function (text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  };
  document.querySelectorAll("[data-choice-filter]").forEach(function (box) {
    const list = document.getElementById(box.dataset.choiceFilter);
    const input = box.querySelector("input");
    const none = box.querySelector("[data-choice-none]");
    const noneText = box.querySelector("[data-choice-none-text]").innerHTML;
    const items = Array.from(list.querySelectorAll(".form-checkbox")).map(function (item) {
      return { item: item, checkbox: item.querySelector("input"), text: plain(item.textContent) };
    });
    const apply = function () {
      const wanted = plain(input.value);
      let shown = 0;
      items.forEach(function (entry) {
        const match = !wanted || entry.text.includes(wanted);
        entry.item.hidden = !(match || entry.checkbox.checked);
        if (match) shown += 1;
      });
      none.textContent = shown ? "" : noneText;
    };
    input.addEventListener("input", apply);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();  // Enter filters; it does not send the form
    });
    box.hidden = false;
  });
})();
