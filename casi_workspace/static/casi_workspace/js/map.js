/* Directory and organisation maps. Markers are drawn as vectors: they show even when tiles cannot load. */
(function () {
  "use strict";

  var markerStyle = { radius: 7, color: "#083f54", weight: 2, fillColor: "#0b5c7a", fillOpacity: 0.85 };

  function popup(marker) {
    var link = document.createElement("a");
    link.href = marker.url;
    link.textContent = marker.name;
    return link;
  }

  function initMap(element) {
    var map = L.map(element, { scrollWheelZoom: false }).setView([48.2, -2.9], 7);
    if (element.dataset.tileUrl) {
      L.tileLayer(element.dataset.tileUrl, {
        attribution: element.dataset.tileAttribution || "",
        maxZoom: 18,
      }).addTo(map);
    }
    var layer = L.featureGroup().addTo(map);
    var status = element.dataset.statusId ? document.getElementById(element.dataset.statusId) : null;

    function draw(markers) {
      markers.forEach(function (marker) {
        L.circleMarker([marker.lat, marker.lng], markerStyle).bindPopup(popup(marker)).addTo(layer);
      });
      element.dataset.markerCount = String(markers.length);
      if (markers.length) {
        map.fitBounds(layer.getBounds(), { maxZoom: 12, padding: [24, 24] });
      }
      if (status) {
        status.textContent = (element.dataset.countLabel || "").replace("%s", markers.length);
      }
    }

    if (element.dataset.markersUrl) {
      fetch(element.dataset.markersUrl, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) { draw(data.markers); });
    } else if (element.dataset.lat && element.dataset.lng) {
      draw([{ lat: Number(element.dataset.lat), lng: Number(element.dataset.lng), name: element.dataset.name, url: "#" }]);
    }
  }

  document.querySelectorAll("[data-casi-map]").forEach(initMap);
})();
