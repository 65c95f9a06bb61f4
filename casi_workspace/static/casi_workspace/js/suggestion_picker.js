// The support desk's message: as one types in the search box, the site's pages that may be suggested are
// listed (the desk's `suggestions` view); choosing one adds it, ticked, to the pages sent with the message.
(function () {
  "use strict";
  document.querySelectorAll("[data-suggestion-picker]").forEach(function (picker) {
    const input = picker.querySelector("input[type=search]");
    const chosen = picker.querySelector("[data-suggestion-chosen]");
    const results = picker.querySelector("[data-suggestion-results]");
    const status = picker.querySelector("[data-suggestion-status]");
    let timer = null;
    let asked = "";

    const isChosen = function (id) {
      return chosen.querySelector('input[value="' + id + '"]') !== null;
    };
    const choose = function (page) {
      if (!isChosen(page.id)) {
        const item = document.createElement("li");
        const box = document.createElement("input");
        box.type = "checkbox";
        box.name = picker.dataset.name;
        box.value = page.id;
        box.id = input.id + "-" + page.id;
        box.checked = true;
        const label = document.createElement("label");
        label.htmlFor = box.id;
        label.textContent = page.title + " (" + page.kind + ")";
        item.append(box, " ", label);
        chosen.append(item);
      }
      results.replaceChildren();
      status.textContent = "";
      input.value = "";
      input.focus();
    };
    const show = function (pages) {
      results.replaceChildren();
      pages.filter(function (page) { return !isChosen(page.id); }).forEach(function (page) {
        const item = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.className = "button button-small button-secondary";
        button.textContent = page.title + " (" + page.kind + ")";
        button.addEventListener("click", function () { choose(page); });
        item.append(button);
        results.append(item);
      });
      status.textContent = results.children.length ? status.dataset.found : status.dataset.none;
    };
    const search = function () {
      const query = input.value.trim();
      if (query === asked) return;
      asked = query;
      if (query.length < 2) { results.replaceChildren(); status.textContent = ""; return; }
      const url = picker.dataset.searchUrl + "?q=" + encodeURIComponent(query);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
        .then(function (data) { if (asked === query) show(data.results); })
        .catch(function () { asked = ""; });
    };
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 250);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); window.clearTimeout(timer); search(); }
    });
  });
})();
