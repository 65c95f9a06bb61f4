// The sending page follows the sending: it asks for the counts every few seconds while the issue is being sent.
(function () {
  "use strict";
  const box = document.getElementById("newsletter-progress");
  if (!box || box.dataset.status !== "sending") return;
  const bar = box.querySelector("progress");
  const refresh = function () {
    fetch(box.dataset.progressUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (data) {
        if (data.status !== "sending") { window.location.reload(); return; }
        bar.value = data.percent;
        box.querySelectorAll("[data-count]").forEach(function (node) { node.textContent = data[node.dataset.count]; });
        window.setTimeout(refresh, 3000);
      })
      .catch(function () { window.setTimeout(refresh, 10000); });
  };
  window.setTimeout(refresh, 3000);
})();
