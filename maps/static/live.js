// geomap live: keeps the page of `geomap serve` up to date from its /stream
// (Server-Sent Events) without a reload. Every text from a report is put in the page
// with textContent, never as HTML.
(function () {
  'use strict';
  var configNode = document.getElementById('geomap-live-config');
  var config = configNode ? JSON.parse(configNode.textContent) : {};
  var live = {events: {}, received: 0, lastSeq: config.after || 0, connected: false};
  window.__geomapLive = live;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function feedBox(map) {
    var box = el('div', 'geomap-live-feed leaflet-bar');
    box.style.background = 'white';
    box.style.padding = '4px 8px';
    box.style.maxWidth = '22em';
    box.style.maxHeight = '12em';
    box.style.overflowY = 'auto';
    box.style.font = '12px sans-serif';
    box.appendChild(el('div', 'geomap-live-status', 'live: connecting…'));
    var list = el('ul', 'geomap-live-list');
    list.style.margin = '0';
    list.style.paddingLeft = '1.2em';
    box.appendChild(list);
    var Control = L.Control.extend({
      options: {position: 'bottomleft'},
      onAdd: function () {
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      }
    });
    new Control().addTo(map);
    return box;
  }

  function note(box, text) {
    var list = box.querySelector('.geomap-live-list');
    var item = el('li', 'geomap-live-item', text);
    list.insertBefore(item, list.firstChild);
    while (list.children.length > 20) list.removeChild(list.lastChild);
  }

  function popup(p) {
    var node = el('div', 'geomap-live-popup');
    node.appendChild(el('b', null, (p.event_type || 'event') + ' · ' + (p.sub_event_type || '')));
    [['date', p.event_date], ['where', p.location], ['actor', p.actor1],
     ['against', p.actor2], ['claim', p.claim_status], ['reports', p.reports]]
      .forEach(function (kv) {
        if (kv[1] === null || kv[1] === undefined || kv[1] === '') return;
        var row = el('div');
        row.appendChild(el('span', null, kv[0] + ': '));
        row.appendChild(el('span', null, kv[1]));
        node.appendChild(row);
      });
    if (p.notes) node.appendChild(el('blockquote', null, p.notes));
    return node;
  }

  function start() {
    var api = window.__geomap;
    if (!api || !api.map || typeof EventSource === 'undefined') return;
    var map = api.map;
    var layer = L.layerGroup().addTo(map);
    var box = feedBox(map);
    var status = box.querySelector('.geomap-live-status');
    var url = (config.stream || 'stream') + '?after=' + encodeURIComponent(live.lastSeq);
    var source = new EventSource(url);
    live.source = source;
    source.onopen = function () { live.connected = true; status.textContent = 'live: connected'; };
    source.onerror = function () { live.connected = false; status.textContent = 'live: reconnecting…'; };

    source.addEventListener('event', function (msg) {
      var p = JSON.parse(msg.data);
      live.received += 1;
      live.lastSeq = Number(msg.lastEventId) || live.lastSeq;
      var old = live.events[p.event_id];
      if (old) layer.removeLayer(old);
      if (typeof p.latitude === 'number' && typeof p.longitude === 'number') {
        var marker = L.circleMarker([p.latitude, p.longitude], {
          radius: 8, color: '#b30000', weight: 2, fillOpacity: 0.6,
          className: 'geomap-live-event'
        });
        marker.bindPopup(function () { return popup(p); });
        marker.addTo(layer);
        live.events[p.event_id] = marker;
      }
      note(box, (p.event_date || '') + ' ' + (p.event_type || '') + ' — ' + (p.location || ''));
    });
    source.addEventListener('event_retracted', function (msg) {
      var p = JSON.parse(msg.data);
      var old = live.events[p.event_id];
      if (old) { layer.removeLayer(old); delete live.events[p.event_id]; }
      note(box, 'retracted: ' + p.event_id);
    });
    source.addEventListener('control', function (msg) {
      var p = JSON.parse(msg.data);
      note(box, 'control: ' + (p.admin1 || p.iso_3166_2) + ' ' + (p.status || '') +
        (p.controller ? ' (' + p.controller + ')' : ''));
    });
    source.addEventListener('report_retracted', function (msg) {
      note(box, 'report retracted: ' + JSON.parse(msg.data).id);
    });
  }

  if (document.readyState === 'complete') start();
  else window.addEventListener('load', start);
})();
