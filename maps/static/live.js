// geomap live: keeps the page of `geomap serve` up to date from its /stream
// (Server-Sent Events) without a reload. New and changed events go to the page through
// its public API (window.geomap.addData / removeEvents), so they are drawn exactly as in
// `geomap map`; control changes and retractions are also listed in a small feed box.
// Every text from a report is put in the page with textContent, never as HTML.
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

  function start() {
    var api = window.__geomap;
    var geomap = window.geomap;  // the page's public API (maps/static/geomap.js)
    if (!api || !api.map || !geomap || typeof EventSource === 'undefined') return;
    var box = feedBox(api.map);
    var status = box.querySelector('.geomap-live-status');
    // events are drawn by the page itself (geomap.addData: same symbols, legend, list,
    // slider and popups as `geomap map`); messages that arrive together are drawn in
    // one redraw
    var pending = [], retracted = [], timer = null;
    function flush() {
      timer = null;
      if (retracted.length) { geomap.removeEvents(retracted); retracted = []; }
      if (pending.length) { geomap.addData({events: pending}); pending = []; }
      live.drawn = api.shownEvents ? api.shownEvents() : null;
    }
    function later() { if (timer === null) timer = setTimeout(flush, 30); }

    var url = (config.stream || 'stream') + '?after=' + encodeURIComponent(live.lastSeq);
    var source = new EventSource(url);
    live.source = source;
    source.onopen = function () { live.connected = true; status.textContent = 'live: connected'; };
    source.onerror = function () { live.connected = false; status.textContent = 'live: reconnecting…'; };

    source.addEventListener('event', function (msg) {
      var p = JSON.parse(msg.data);
      live.received += 1;
      live.lastSeq = Number(msg.lastEventId) || live.lastSeq;
      live.events[p.event_id] = p;
      retracted = retracted.filter(function (id) { return id !== p.event_id; });
      pending = pending.filter(function (q) { return q.event_id !== p.event_id; });
      pending.push(p);
      later();
      note(box, (p.event_date || '') + ' ' + (p.event_type || '') + ' — ' + (p.location || ''));
    });
    source.addEventListener('event_retracted', function (msg) {
      var p = JSON.parse(msg.data);
      delete live.events[p.event_id];
      pending = pending.filter(function (q) { return q.event_id !== p.event_id; });
      retracted.push(p.event_id);
      later();
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
