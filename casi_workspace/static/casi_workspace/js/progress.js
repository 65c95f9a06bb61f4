// A page following long work (a newsletter's sending, a directory import) asks for its counts every few
// seconds while it runs, and reloads once it is over.
(function () {
  "use strict";
  const box = document.querySelector("[data-progress-url]");
  if (!box || box.dataset.running !== "true") return;
  const bar = box.querySelector("progress");
  const refresh = function () {
    fetch(box.dataset.progressUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (data) {
        if (!data.running) { window.location.reload(); return; }
        bar.value = data.percent;
        box.querySelectorAll("[data-count]").forEach(function (node) { node.textContent = data[node.dataset.count]; });
        window.setTimeout(refresh, 3000);
      })
      .catch(function () { window.setTimeout(refresh, 10000); });
  };
  window.setTimeout(refresh, 3000);
})();
