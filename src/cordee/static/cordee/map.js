// The map of the directory: one marker per organisation, clustered, each linking to its page.
(function () {
  "use strict";
  var element = document.getElementById("map");
  var source = document.getElementById("map-points");
  if (!element || !source || typeof L === "undefined") { return; }
  var points = JSON.parse(source.textContent);
  var map = L.map(element, { scrollWheelZoom: false }).setView([44.66, 6.35], 9);
  L.tileLayer(element.dataset.tiles, { maxZoom: 18, attribution: element.dataset.attribution }).addTo(map);
  var icon = L.icon({
    iconUrl: element.dataset.icon,
    iconRetinaUrl: element.dataset.icon2x,
    shadowUrl: element.dataset.shadow,
    iconSize: [25, 41], iconAnchor: [12, 41], popupAnchor: [1, -34], shadowSize: [41, 41]
  });
  var clusters = L.markerClusterGroup({ showCoverageOnHover: false });
  var bounds = [];
  points.forEach(function (point) {
    var marker = L.marker([point.lat, point.lng], { icon: icon, title: point.name, alt: point.name, keyboard: true });
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = point.name;
    var meta = document.createElement("div");
    meta.textContent = point.family + " · " + point.commune;
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = element.dataset.seePage;
    link.className = "map-link";
    box.appendChild(title); box.appendChild(meta); box.appendChild(link);
    marker.bindPopup(box);
    clusters.addLayer(marker);
    bounds.push([point.lat, point.lng]);
  });
  map.addLayer(clusters);
  if (bounds.length > 1) { map.fitBounds(bounds, { padding: [30, 30] }); }
  else if (bounds.length === 1) { map.setView(bounds[0], 12); }
})();
