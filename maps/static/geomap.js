/* geomap: draws the layers of a geomap map from one JSON data blob.
 *
 * Safe text: every string that comes from a report is put into the page with
 * textContent (or as an attribute value through the DOM), never innerHTML.
 * The only HTML this script inserts comes from geomap's Python side, which
 * escaped it (credits, event symbols), or is a fixed string of this file.
 * Needs Leaflet 1.9, nothing else (events are clustered by this script).
 *
 * Public API (docs/maps.md): window.geomap.addData(part) merges new events,
 * places and control (the format of maps.page_data) into the open page;
 * window.geomap.setData(blob) redraws from a whole new blob. Both keep the
 * reader's view, filters and slider mode.
 */
(function () {
  'use strict';

  var DAY_MS = 86400000;
  var NARROW = 640;  // px: below this width the page uses its phone layout

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
    });
  }

  function isHttpUrl(url) {
    return typeof url === 'string' && /^https?:\/\/[^\s\/?#]+[^\s]*$/i.test(url);
  }

  function row(parent, label, value) {
    if (value === undefined || value === null || value === '') return;
    var r = el('div', 'geomap-popup-row');
    r.appendChild(el('span', 'geomap-popup-label', label + ': '));
    r.appendChild(el('span', 'geomap-popup-value', value));
    parent.appendChild(r);
  }

  function quote(parent, text) {
    if (!text) return;
    parent.appendChild(el('blockquote', 'geomap-quote', text));
  }

  // a link only for an absolute http(s) URL; anything else is plain text
  function sourceRow(parent, label, name, url) {
    var src = el('div', 'geomap-popup-row');
    src.appendChild(el('span', 'geomap-popup-label', label + ': '));
    if (isHttpUrl(url)) {
      var a = el('a', null, name || url);
      a.href = url;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      src.appendChild(a);
    } else {
      src.appendChild(el('span', 'geomap-popup-value', name || url || 'unknown'));
    }
    parent.appendChild(src);
  }

  function dayText(day0, d) {
    return new Date(day0 + d * DAY_MS).toISOString().slice(0, 10);
  }

  function isNarrow(map) { return map.getContainer().clientWidth < NARROW; }

  function stopMapEvents(node) {
    L.DomEvent.disableClickPropagation(node);
    L.DomEvent.disableScrollPropagation(node);
  }

  // tag a polygon's SVG path with its region code, for readers and tests
  function tagIso(layer, iso) {
    layer.on('add', function () {
      var node = layer.getElement && layer.getElement();
      if (node && iso) node.setAttribute('data-iso', iso);
    });
  }

  function boxControl(node, position) {
    var Ctl = L.Control.extend({
      onAdd: function () { stopMapEvents(node); return node; },
      onRemove: function () {}
    });
    return new Ctl({position: position});
  }

  window.geomapInit = function (map, dataNode, opts) {
    var t0 = performance.now();
    var timings = {};
    var D = JSON.parse(dataNode.textContent);
    timings.parse = performance.now() - t0;
    var api = {map: map, layers: {}, day: null, data: D, timings: timings};
    window.__geomap = api;
    var narrow = isNarrow(map);
    if (narrow) map.getContainer().classList.add('geomap-narrow');

    // an offline map has no tile layer to give the zoom range
    if (map.options.maxZoom === undefined) map.setMaxZoom(18);
    map.attributionControl.setPrefix('Leaflet');
    if (D.credits) map.attributionControl.addAttribution(D.credits);

    // ---------------------------------------------------------------- base layers (once)
    var bases = {};
    var tiles = (opts && opts.tiles) || {};
    var first = true;
    Object.keys(tiles).forEach(function (label) {
      var layer = window[tiles[label]];
      if (!layer) return;
      bases[escapeHtml(label)] = layer;
      if (first) { if (!map.hasLayer(layer)) layer.addTo(map); first = false; }
      else if (map.hasLayer(layer)) map.removeLayer(layer);
    });
    map.createPane('geomap-basemap').style.zIndex = 200;
    map.getPane('geomap-basemap').style.pointerEvents = 'none';
    map.createPane('geomap-control').style.zIndex = 390;
    map.createPane('geomap-districts').style.zIndex = 395;
    if (D.offline) {
      map.getContainer().classList.add('geomap-offline');
      var basemap = L.layerGroup();
      if (D.basemap && D.basemap.features.length) {
        L.geoJSON(D.basemap, {
          pane: 'geomap-basemap', interactive: false, className: 'geomap-country',
          style: {color: '#9a9a9a', weight: 1, fillColor: '#f7f5f0', fillOpacity: 1}
        }).addTo(basemap);
      }
      if (D.regions) {
        L.geoJSON(D.regions, {
          pane: 'geomap-basemap', interactive: false, className: 'geomap-province-outline',
          style: {color: '#b8b8b8', weight: 0.7, fill: false}
        }).addTo(basemap);
      }
      basemap.addTo(map);
      bases['Outline basemap (offline)'] = basemap;
      api.layers.basemap = basemap;
    }

    // ---------------------------------------------------------------- boxes (once)
    var legend = document.getElementById('geomap-legend');
    if (legend) {
      // on a phone the legend starts closed: the map comes first
      var details = legend.querySelector('details');
      if (details && narrow) details.removeAttribute('open');
      boxControl(legend, 'bottomright').addTo(map);
    }
    var titleBox = document.getElementById('geomap-title');
    if (titleBox) map.getContainer().appendChild(titleBox);
    var layerControl = L.control.layers(bases, {}, {collapsed: narrow, position: 'topright'});
    layerControl.addTo(map);
    api.layerControl = layerControl;
    var listBox = document.getElementById('geomap-list');
    if (listBox) boxControl(listBox, 'topleft').addTo(map);
    var sliderBox = document.getElementById('geomap-slider');
    if (sliderBox) boxControl(sliderBox, 'bottomleft').addTo(map);

    // a legend row for an event type that arrived with addData
    var legendTypes = function (symbols) {
      if (!legend || !symbols || !symbols.length) return;
      var sec = legend.querySelector('.geomap-legend-sec[data-layer="events"]');
      if (!sec) {  // the page had no events when it was made
        sec = el('div', 'geomap-legend-sec');
        sec.setAttribute('data-layer', 'events');
        sec.appendChild(el('div', 'geomap-legend-h', 'Events (ACLED event type)'));
        var heads = legend.querySelectorAll('.geomap-legend-h');
        var sources = heads.length ? heads[heads.length - 1] : null;
        sources.parentNode.insertBefore(sec, sources);
      }
      var rows = sec.querySelectorAll('.geomap-legend-row[data-type]');
      var have = {};
      rows.forEach(function (r) { have[r.getAttribute('data-type')] = true; });
      var before = rows.length ? rows[rows.length - 1].nextSibling : null;
      (symbols || []).forEach(function (s) {
        if (have[s.type]) return;
        var r = el('div', 'geomap-legend-row');
        r.setAttribute('data-type', s.type);
        var icon = el('span');
        icon.innerHTML = s.svg;  // fixed markup from geomap's Python side
        var svg = icon.firstChild;
        if (svg && svg.setAttribute) { svg.setAttribute('width', '14'); svg.setAttribute('height', '14'); }
        r.appendChild(icon);
        r.appendChild(document.createTextNode(' ' + s.type));
        sec.insertBefore(r, before);
      });
    };

    // the legend shows the sections of the layers that are on
    var syncLegend = function () {
      if (!legend) return;
      legend.querySelectorAll('.geomap-legend-sec').forEach(function (sec) {
        var on = (sec.getAttribute('data-layer') || '').split(' ').some(function (name) {
          var layer = api.layers[name];
          return layer && map.hasLayer(layer);
        });
        sec.style.display = on ? '' : 'none';
      });
    };
    api.syncLegend = syncLegend;
    map.on('overlayadd overlayremove', syncLegend);

    // reader's choices kept across redraws (addData / setData)
    var state = {type: -1, actor: '', mode: 'upto', lastN: 7, listOpen: !narrow, dayMs: null, atEnd: true};
    var overlays = [];  // [layer, label] of the current render
    var cleanup = [];   // functions undoing the current render

    // ---------------------------------------------------------------- render
    function render(D, firstRender) {
      var S = D.strings || [];
      var str = function (i) { return i >= 0 ? S[i] : null; };
      var day0 = D.slider ? Date.parse(D.slider.day0 + 'T00:00:00Z') : null;
      api.data = D;
      api.day0 = day0;
      var addOverlay = function (layer, label, on) {
        if (on) layer.addTo(map);
        layerControl.addOverlay(layer, label);
        overlays.push(layer);
      };
      var reports = D.reports || {};

      // -------------------------------------------------------------- provinces
      if (D.regions) {
        var ch = D.choropleth;
        var colorFor = function (n) {
          if (!ch || !n) return null;
          for (var i = 0; i < ch.bins.length; i++) {
            var lo = ch.bins[i][0], hi = ch.bins[i][1];
            if (n >= lo && (hi === null || n <= hi)) return ch.colors[i];
          }
          return ch.colors[ch.colors.length - 1];
        };
        var regions = L.geoJSON(D.regions, {
          className: 'geomap-region',
          style: function (f) {
            var c = colorFor(f.properties.n);
            return {color: '#6b6b6b', weight: 0.8, fillColor: c || '#ffffff',
                    fillOpacity: c ? 0.65 : 0.0};
          },
          onEachFeature: function (f, layer) {
            var p = f.properties;
            var tip = el('div', 'geomap-tip');
            tip.appendChild(el('b', null, p.name || p.iso || 'region'));
            tip.appendChild(el('span', null, ' (' + (p.iso || '?') + ')'));
            if (ch) tip.appendChild(el('div', null, p.n + ' place mention' + (p.n === 1 ? '' : 's')));
            layer.bindTooltip(tip, {sticky: true});
            tagIso(layer, p.iso);
          }
        });
        api.layers.regions = regions;
        // shading and control fill the same polygons: show control first when there is one
        addOverlay(regions, ch ? 'Provinces: place mentions' : 'Provinces', !D.control);
      }

      // -------------------------------------------------------------- control
      var stateAt = function (states, day) {
        var found = null;
        for (var i = 0; i < states.length; i++) {
          if (day === null || states[i][0] <= day) found = states[i]; else break;
        }
        return found;
      };
      var controlLayers = [];
      var controlLayer = function (part, pane, className, districts) {
        var cc = D.controlColors;
        var controlStyle = function (st) {
          var status = st ? st[1] : 'unknown';
          var color = cc.unknown, opacity = 0.25;
          if (status === 'controlled') { color = cc.controllers[st[2]] || cc.unknown; opacity = 0.6; }
          else if (status === 'contested') { color = cc.contested; opacity = 0.6; }
          var unconfirmed = st && st[6] === 1 && status !== 'unknown';
          if (unconfirmed) {
            return {color: color, weight: 2, dashArray: '6 4', fillOpacity: 1,
                    fillColor: 'url(#' + (cc.hatch[color] || '') + ')'};
          }
          return {color: districts ? '#777777' : '#555555', weight: districts ? 0.5 : 0.9,
                  dashArray: null, fillColor: color, fillOpacity: opacity};
        };
        var layer = L.geoJSON(part.shapes, {
          pane: pane, className: className,
          style: function (f) { return controlStyle(stateAt(f.properties.states, null)); },
          onEachFeature: function (f, lyr) {
            tagIso(lyr, f.properties.iso);
            lyr.bindPopup(function () { return regionPopup(f.properties, stateAt(f.properties.states, api.day)); },
                          {maxWidth: 360, maxHeight: 360, autoPanPaddingTopLeft: [20, 90]});
          }
        });
        layer.styleAt = function (day) {
          layer.eachLayer(function (lyr) {
            var st = stateAt(lyr.feature.properties.states, day);
            lyr.setStyle(controlStyle(st));
            lyr.feature.properties._status = st ? st[1] : 'unknown';
            lyr.feature.properties._controller = st ? st[2] : null;
          });
        };
        layer.styleAt(null);
        controlLayers.push(layer);
        return layer;
      };
      // a region's popup: its state, and the sentence it rests on with its report
      var regionPopup = function (p, st) {
        var box = el('div', 'geomap-popup');
        box.appendChild(el('div', 'geomap-popup-title', p.name || p.iso));
        row(box, 'Region', p.iso);
        row(box, 'Status', st ? st[1] : 'unknown (no evidence)');
        if (st) {
          row(box, 'Controller', st[2]);
          row(box, 'Since', st[4]);
          row(box, 'Claim', st[3]);
          if (st[7]) {
            box.appendChild(el('div', 'geomap-popup-label', 'Evidence:'));
            quote(box, st[7]);
          }
          var rep = st[8] ? (reports[st[8]] || {}) : null;
          if (rep) {
            row(box, 'Report', rep.title || st[8]);
            row(box, 'Date', st[9] || rep.date);
            if (rep.url || rep.source) sourceRow(box, 'Source', rep.source, rep.url);
          }
          row(box, 'Evidence ids', st[5]);
        }
        if (api.day !== null && D.slider) row(box, 'As of', dayText(day0, api.day));
        return box;
      };
      var control = null, districts = null;
      if (D.control) {
        control = controlLayer(D.control, 'geomap-control', 'geomap-control', false);
        api.layers.control = control;
        api.controlStyleAt = control.styleAt;
        addOverlay(control, 'Territorial control', true);
      }
      if (D.districts) {
        districts = controlLayer(D.districts, 'geomap-districts', 'geomap-district', true);
        api.layers.districts = districts;
        addOverlay(districts, 'Control by district', !D.control);
      }

      // -------------------------------------------------------------- places
      if (D.places) {
        var places = L.featureGroup();
        D.places.markers.forEach(function (p) {
          var marker = L.circleMarker([p.lat, p.lon], {
            radius: narrow ? 8 : 6, color: '#ffffff', weight: 1.5, fillColor: D.placeColor,
            fillOpacity: 0.85, className: 'geomap-place'
          });
          marker.bindTooltip(el('span', null, p.name), {direction: 'top', offset: [0, -6]});
          marker.bindPopup(function () {
            var box = el('div', 'geomap-popup');
            box.appendChild(el('div', 'geomap-popup-title', p.name));
            row(box, 'Kind', p.kind);
            row(box, 'Province', p.admin1 ? p.admin1 + (p.iso ? ' (' + p.iso + ')' : '') : p.iso);
            row(box, 'Country', p.country);
            row(box, 'Confidence', p.confidence === null ? null : p.confidence.toFixed(2));
            row(box, 'Gazetteer record', p.source);
            row(box, 'Mentions', p.n);
            var list = el('div', 'geomap-mentions');
            p.mentions.forEach(function (m) {
              var item = el('div', 'geomap-mention');
              var head = el('div', 'geomap-mention-head');
              head.appendChild(el('b', null, '“' + (m.mention || p.name) + '”'));
              if (m.report) head.appendChild(el('span', null, ' in report ' + m.report));
              if (m.date) head.appendChild(el('span', null, ', ' + m.date));
              item.appendChild(head);
              quote(item, m.sentence);
              list.appendChild(item);
            });
            if (p.n > p.mentions.length) {
              list.appendChild(el('div', null, '… and ' + (p.n - p.mentions.length) + ' more'));
            }
            box.appendChild(list);
            return box;
          }, {maxWidth: 380, maxHeight: 320, autoPanPaddingTopLeft: [20, 90]});
          places.addLayer(marker);
        });
        api.layers.places = places;
        addOverlay(places, 'Places named (' + D.places.markers.length + ')', true);
      }

      // -------------------------------------------------------------- events
      // Events are clustered on a screen grid by this script: on every move or
      // zoom, one pass over the coordinates (100,000 take a few milliseconds)
      // puts each event shown into a 60-pixel cell; a cell with one event
      // becomes its symbol, a cell with more a numbered circle. Only what is on
      // screen exists in the page, so a big map stays light.
      //
      // Popups of events and clusters are free-standing (not bound to a
      // marker): a redraw (after any move) removes and re-adds markers, and a
      // popup bound to a removed marker would close, or fail half-way through
      // its own pan when a second marker is clicked while the first pans.
      var events = null;
      var E = D.events;
      var vis = null, nVisible = 0;
      var windowLo = -Infinity, windowHi = Infinity;
      if (E) {
        var icons = [];
        (D.eventSymbols || []).forEach(function (s, i) {
          icons[2 * i] = L.divIcon({html: s.svg, className: 'geomap-event geomap-event-' + i,
                                    iconSize: [18, 18], iconAnchor: [9, 9]});
          icons[2 * i + 1] = L.divIcon({html: s.hollow,
                                        className: 'geomap-event geomap-event-hollow geomap-event-' + i,
                                        iconSize: [18, 18], iconAnchor: [9, 9]});
        });
        var tm = performance.now();
        // Web Mercator pixel coordinates at zoom 0 (a 256-pixel world)
        var px = new Float64Array(E.n), py = new Float64Array(E.n);
        for (var i = 0; i < E.n; i++) {
          var p0 = L.CRS.EPSG3857.latLngToPoint(L.latLng(E.lat[i], E.lon[i]), 0);
          px[i] = p0.x;
          py[i] = p0.y;
        }
        vis = new Uint8Array(E.n);
        timings.markers = performance.now() - tm;
        var eventDate = function (i) {
          return E.day[i] >= 0 && day0 !== null ? dayText(day0, E.day[i]) : str(E.date[i]);
        };
        var eventPopup = function (i) {
          var sym = D.eventSymbols[E.type[i]];
          var box = el('div', 'geomap-popup');
          box.appendChild(el('div', 'geomap-popup-title', sym.type));
          row(box, 'Sub-event type', str(E.sub[i]));
          row(box, 'Date', eventDate(i));
          row(box, 'Actor 1', str(E.actor1[i]));
          row(box, 'Actor 2', str(E.actor2[i]));
          row(box, 'Location', (str(E.location[i]) || '') +
              (str(E.admin1[i]) ? ', ' + str(E.admin1[i]) : ''));
          var precision = {1: '1: the town itself', 2: '2: near a town, or part of a region',
                           3: '3: a province or region'}[E.precision[i]];
          row(box, 'Location precision', precision);
          row(box, 'Claim', str(E.claim[i]));
          row(box, 'Reported by', E.count[i] + ' source' + (E.count[i] === 1 ? '' : 's'));
          quote(box, str(E.notes[i]));
          sourceRow(box, 'Source', str(E.source[i]), str(E.url[i]));
          row(box, 'Event id', str(E.id[i]));
          return box;
        };
        var stackPopup = function (members) {
          var box = el('div', 'geomap-popup');
          box.appendChild(el('div', 'geomap-popup-title', members.length + ' events at this spot'));
          members.slice(0, 10).forEach(function (i) {
            box.appendChild(el('hr'));
            box.appendChild(eventPopup(i));
          });
          if (members.length > 10) box.appendChild(el('div', null, '… and ' + (members.length - 10) + ' more'));
          return box;
        };
        var openAt = function (latlng, content, width, height) {
          L.popup({maxWidth: width, maxHeight: height, offset: [0, -4],
                   autoPanPaddingTopLeft: [20, 90], autoPanPaddingBottomRight: [20, 20]})
            .setLatLng(latlng).setContent(content).openOn(map);
        };
        api.openEvent = function (i) { openAt([E.lat[i], E.lon[i]], eventPopup(i), 360); };
        var CELL = 60;
        var markerCache = {};
        var markerFor = function (i) {
          var mk = markerCache[i];
          if (!mk) {
            mk = L.marker([E.lat[i], E.lon[i]], {icon: icons[2 * E.type[i] + E.hollow[i]],
                                                  keyboard: false, title: str(E.location[i]) || ''});
            mk.on('click', function () { api.openEvent(i); });
            markerCache[i] = mk;
          }
          return mk;
        };
        var clusterIcon = function (n) {
          var size = n < 10 ? 28 : n < 100 ? 34 : n < 1000 ? 40 : 46;
          var node = el('div', 'geomap-cluster-inner', n < 10000 ? String(n) : Math.round(n / 1000) + 'k');
          return L.divIcon({html: node.outerHTML, className: 'geomap-cluster',
                            iconSize: [size, size], iconAnchor: [size / 2, size / 2]});
        };
        var EventsLayer = L.Layer.extend({
          onAdd: function (m) {
            this._group = this._group || L.layerGroup();
            this._group.addTo(m);
            m.on('moveend', this.redraw, this);
            this.redraw();
          },
          onRemove: function (m) {
            m.off('moveend', this.redraw, this);
            this._group.clearLayers();
            m.removeLayer(this._group);
          },
          redraw: function () {
            var m = this._map;
            if (!m) return;
            var z = m.getZoom(), scale = Math.pow(2, z);
            var pb = m.getPixelBounds();
            var x0 = pb.min.x - CELL, y0 = pb.min.y - CELL, x1 = pb.max.x + CELL, y1 = pb.max.y + CELL;
            var cells = new Map();
            for (var k = 0; k < E.n; k++) {
              if (!vis[k]) continue;
              var x = px[k] * scale, y = py[k] * scale;
              if (x < x0 || x > x1 || y < y0 || y > y1) continue;
              var key = Math.floor(x / CELL) * 4194304 + Math.floor(y / CELL);
              var c = cells.get(key);
              if (!c) cells.set(key, {n: 1, first: k, sx: x, sy: y, minx: x, maxx: x, miny: y, maxy: y});
              else {
                c.n++; c.sx += x; c.sy += y;
                if (x < c.minx) c.minx = x; if (x > c.maxx) c.maxx = x;
                if (y < c.miny) c.miny = y; if (y > c.maxy) c.maxy = y;
              }
            }
            var group = this._group;
            group.clearLayers();
            var maxZoom = m.getMaxZoom();
            cells.forEach(function (c) {
              if (c.n === 1) { group.addLayer(markerFor(c.first)); return; }
              var center = m.unproject(L.point(c.sx / c.n, c.sy / c.n), z);
              var cluster = L.marker(center, {icon: clusterIcon(c.n), keyboard: false,
                                              title: c.n + ' events'});
              var stacked = (c.maxx - c.minx) < 1 && (c.maxy - c.miny) < 1;
              cluster.on('click', function () {
                if (stacked || z >= maxZoom) {
                  var members = [];
                  for (var k2 = 0; k2 < E.n; k2++) {
                    if (!vis[k2]) continue;
                    var xx = px[k2] * scale, yy = py[k2] * scale;
                    if (xx >= c.minx && xx <= c.maxx && yy >= c.miny && yy <= c.maxy) members.push(k2);
                  }
                  openAt(center, stackPopup(members), 380, 360);
                } else {
                  m.fitBounds(L.latLngBounds(m.unproject(L.point(c.minx, c.maxy), z),
                                             m.unproject(L.point(c.maxx, c.miny), z)),
                              {padding: [40, 40], maxZoom: maxZoom});
                }
              });
              group.addLayer(cluster);
            });
            api.drawnEventCells = cells.size;
          }
        });
        events = new EventsLayer();
        api.layers.events = events;
        // which events the filters and the time window let through
        var refilter = function () {
          nVisible = 0;
          for (var k = 0; k < E.n; k++) {
            var d = E.day[k];
            var ok = d < 0 || (d >= windowLo && d <= windowHi);
            if (ok && state.type >= 0 && E.type[k] !== state.type) ok = false;
            if (ok && state.actor && str(E.actor1[k]) !== state.actor &&
                str(E.actor2[k]) !== state.actor) ok = false;
            vis[k] = ok ? 1 : 0;
            nVisible += vis[k];
          }
          events.redraw();
          renderList();
        };
        api.refilter = refilter;
        api.setEventWindow = function (lo, hi) { windowLo = lo; windowHi = hi; refilter(); };
        api.shownEvents = function () { return nVisible; };
        // zoom in until the event at `location` stands alone (for readers' links and tests)
        api.showEvent = function (location) {
          return new Promise(function (resolve) {
            for (var j = 0; j < E.n; j++) {
              if (vis[j] && str(E.location[j]) === location) {
                map.once('moveend', function () { setTimeout(resolve, 50); });
                setTimeout(resolve, 1000);  // the view may not change at all
                map.setView([E.lat[j], E.lon[j]], Math.max(map.getZoom(), 10), {animate: false});
                return;
              }
            }
            resolve();
          });
        };
        // fly to an event and open its popup
        api.flyToEvent = function (i) {
          map.closePopup();
          var done = false;
          var open = function () { if (done) return; done = true; api.openEvent(i); };
          map.once('moveend', open);
          setTimeout(open, 2000);  // the view may not change at all
          map.flyTo([E.lat[i], E.lon[i]], Math.max(map.getZoom(), 9), {duration: 0.6});
        };

        // ------------------------------------------------------------ event list
        var listBody = null, listCount = null, listShown = null;
        var renderList = function () {
          if (!listBody) return;
          var LIMIT = 200, n = 0;
          // a render calls refilter several times (filters, then the slider's window):
          // the list is rebuilt only when the events it shows changed
          var shown = [];
          for (var i = E.n - 1; i >= 0 && shown.length < LIMIT; i--) if (vis[i]) shown.push(i);
          var key = nVisible + ':' + shown.join(',');
          if (listShown && listShown.body === listBody && listShown.key === key) return;
          listShown = {body: listBody, key: key};
          listBody.textContent = '';
          listCount.textContent = nVisible.toLocaleString('en') + ' of ' + E.n.toLocaleString('en');
          // sorted by day: newest first is the array backwards (undated ones last)
          for (var j = E.n - 1; j >= 0 && n < LIMIT; j--) {
            if (!vis[j]) continue;
            n++;
            var item = el('li', 'geomap-list-item');
            item.setAttribute('data-event', String(j));
            item.tabIndex = 0;
            var icon = el('span', 'geomap-list-icon');
            icon.innerHTML = D.eventSymbols[E.type[j]][E.hollow[j] ? 'hollow' : 'svg'];  // fixed markup from Python
            item.appendChild(icon);
            var textBox = el('span', 'geomap-list-text');
            textBox.appendChild(el('b', null, eventDate(j) || 'undated'));
            textBox.appendChild(el('span', null, ' ' + (str(E.location[j]) || '?')));
            var who = [str(E.actor1[j]), str(E.actor2[j])].filter(Boolean).join(' – ');
            if (who) textBox.appendChild(el('div', 'geomap-list-who', who));
            item.appendChild(textBox);
            listBody.appendChild(item);
          }
          if (nVisible > n) listBody.appendChild(el('li', 'geomap-list-more',
            '… and ' + (nVisible - n).toLocaleString('en') + ' more: narrow the filters or the dates'));
        };
        if (listBox) {
          var det = el('details', 'geomap-list-details');
          if (state.listOpen) det.open = true;
          det.addEventListener('toggle', function () { state.listOpen = det.open; });
          var sum = el('summary', null, 'Events ');
          listCount = el('span', 'geomap-list-count');
          sum.appendChild(listCount);
          det.appendChild(sum);
          var filters = el('div', 'geomap-list-filters');
          var typeSel = el('select', 'geomap-filter-type');
          typeSel.setAttribute('aria-label', 'Event type');
          typeSel.appendChild(new Option('All event types', '-1'));
          (D.eventSymbols || []).forEach(function (s, t) { typeSel.appendChild(new Option(s.type, String(t))); });
          typeSel.value = String(state.type);
          var actorSel = el('select', 'geomap-filter-actor');
          actorSel.setAttribute('aria-label', 'Actor');
          actorSel.appendChild(new Option('All actors', ''));
          var tally = {};
          for (var a = 0; a < E.n; a++) {
            [E.actor1[a], E.actor2[a]].forEach(function (s) { if (s >= 0) tally[S[s]] = (tally[S[s]] || 0) + 1; });
          }
          Object.keys(tally).sort(function (x, y) { return tally[y] - tally[x] || (x < y ? -1 : 1); })
            .slice(0, 300).forEach(function (name) {
              actorSel.appendChild(new Option(name + ' (' + tally[name] + ')', name));  // Option sets text, not HTML
            });
          actorSel.value = state.actor;
          if (actorSel.value !== state.actor) state.actor = '';
          typeSel.addEventListener('change', function () { state.type = parseInt(typeSel.value, 10); map.closePopup(); refilter(); });
          actorSel.addEventListener('change', function () { state.actor = actorSel.value; map.closePopup(); refilter(); });
          filters.appendChild(typeSel);
          filters.appendChild(actorSel);
          det.appendChild(filters);
          listBody = el('ol', 'geomap-list-items');
          listBody.addEventListener('click', function (ev) {
            var item = ev.target.closest && ev.target.closest('.geomap-list-item');
            if (item) api.flyToEvent(parseInt(item.getAttribute('data-event'), 10));
          });
          listBody.addEventListener('keydown', function (ev) {
            var item = ev.target.closest && ev.target.closest('.geomap-list-item');
            if (item && (ev.key === 'Enter' || ev.key === ' ')) {
              ev.preventDefault();
              api.flyToEvent(parseInt(item.getAttribute('data-event'), 10));
            }
          });
          det.appendChild(listBody);
          listBox.appendChild(det);
          cleanup.push(function () { listBox.textContent = ''; listBody = null; });
        }
        tm = performance.now();
        refilter();
        addOverlay(events, 'Events (' + E.n.toLocaleString('en') + ')', true);
        timings.cluster = performance.now() - tm;
        events.on('add remove', function () { if (listBox) listBox.style.display = map.hasLayer(events) ? '' : 'none'; });
      } else {
        api.shownEvents = function () { return 0; };
      }

      // -------------------------------------------------------------- time slider
      if (D.slider && sliderBox) {
        var ndays = D.slider.days;
        var head = el('div', 'geomap-slider-head');
        var play = el('button', 'geomap-play', '▶');
        play.type = 'button';
        play.title = 'Replay day by day';
        var modeSel = el('select', 'geomap-slider-mode');
        modeSel.setAttribute('aria-label', 'Events shown');
        modeSel.appendChild(new Option('Up to', 'upto'));
        modeSel.appendChild(new Option('Last N days', 'last'));
        modeSel.value = state.mode;
        var nInput = el('input', 'geomap-slider-n');
        nInput.type = 'number';
        nInput.min = '1';
        nInput.max = String(ndays);
        nInput.value = String(state.lastN);
        nInput.setAttribute('aria-label', 'Number of days');
        var label = el('span', 'geomap-slider-date');
        head.appendChild(play);
        head.appendChild(modeSel);
        head.appendChild(nInput);
        head.appendChild(label);
        var input = el('input', 'geomap-slider-input');
        input.type = 'range';
        input.min = '0';
        input.max = String(ndays - 1);
        input.step = '1';
        input.setAttribute('aria-label', 'Date shown on the map');
        var counts = el('div', 'geomap-slider-counts');
        var ends = el('div', 'geomap-slider-ends');
        ends.appendChild(el('span', null, dayText(day0, 0)));
        ends.appendChild(el('span', null, dayText(day0, ndays - 1)));
        sliderBox.appendChild(head);
        sliderBox.appendChild(input);
        sliderBox.appendChild(ends);
        sliderBox.appendChild(counts);
        var setDay = function (d) {
          d = Math.max(0, Math.min(ndays - 1, d | 0));
          api.day = d;
          input.value = String(d);
          nInput.style.display = state.mode === 'last' ? '' : 'none';
          var lo = state.mode === 'last' ? d - state.lastN + 1 : -Infinity;
          label.textContent = state.mode === 'last'
            ? dayText(day0, Math.max(0, lo)) + ' to ' + dayText(day0, d)
            : dayText(day0, d);
          controlLayers.forEach(function (layer) { layer.styleAt(d); });
          var parts = [];
          if (E) {
            api.setEventWindow(lo, d);
            parts.push(nVisible.toLocaleString('en') + ' of ' + E.n.toLocaleString('en') + ' events shown');
          }
          if (control || districts) {
            var tally = {};
            (control || districts).eachLayer(function (layer) {
              var p = layer.feature.properties;
              var key = p._status === 'controlled' ? (p._controller || 'controlled') : p._status;
              tally[key] = (tally[key] || 0) + 1;
            });
            parts.push('Regions: ' + Object.keys(tally).sort().map(function (k) {
              return k + ' ' + tally[k];
            }).join(', '));
          }
          counts.textContent = parts.join(' · ');
        };
        api.setDay = setDay;
        api.setSliderMode = function (mode, n) {
          state.mode = mode === 'last' ? 'last' : 'upto';
          if (n) state.lastN = Math.max(1, n | 0);
          modeSel.value = state.mode;
          nInput.value = String(state.lastN);
          setDay(api.day === null ? ndays - 1 : api.day);
        };
        modeSel.addEventListener('change', function () { api.setSliderMode(modeSel.value); });
        nInput.addEventListener('change', function () {
          api.setSliderMode(state.mode, parseInt(nInput.value, 10) || 1);
        });
        input.addEventListener('input', function () { setDay(parseInt(input.value, 10)); });
        var timer = null;
        play.addEventListener('click', function () {
          if (timer) { clearInterval(timer); timer = null; play.textContent = '▶'; return; }
          if (api.day >= ndays - 1) setDay(0);
          play.textContent = '❚❚';
          timer = setInterval(function () {
            if (api.day >= ndays - 1) { clearInterval(timer); timer = null; play.textContent = '▶'; return; }
            setDay(api.day + 1);
          }, 700);
        });
        cleanup.push(function () { if (timer) clearInterval(timer); sliderBox.textContent = ''; });
        // a redraw keeps the reader's date (day numbers move with day 0), or the last day
        if (firstRender || state.atEnd || state.dayMs === null) setDay(ndays - 1);
        else setDay(Math.round((state.dayMs - day0) / DAY_MS));
      } else {
        api.setDay = function () {};
      }
      legendTypes(D.eventSymbols);
      syncLegend();
      if (firstRender) {  // after the boxes are filled: their sizes are known
        // keep the data clear of the title box, the legend, the list and the slider
        var mapBox = map.getContainer().getBoundingClientRect();
        var top = titleBox ? titleBox.getBoundingClientRect().bottom - mapBox.top + 10 : 30;
        var left = listBox && !narrow ? listBox.offsetWidth + 30 : 20;
        var right = legend && !narrow ? legend.offsetWidth + 30 : 20;
        var bottom = sliderBox ? sliderBox.offsetHeight + 40 : 30;
        var fit = {paddingTopLeft: [left, Math.max(top, 30)], paddingBottomRight: [right, bottom],
                   maxZoom: 9, animate: false};
        // no animation here: a zoom animation still running when the overlays
        // are added leaves Leaflet's view in an inconsistent state
        if (D.view) map.fitBounds(D.view, fit);
        else map.fitWorld({animate: false});  // nothing to frame: the whole world
        if (D.maxBounds) {
          // the offline basemap covers only this area: keep the reader inside it
          map.setMinZoom(Math.min(map.getZoom(), Math.max(2, map.getBoundsZoom(D.maxBounds, false))));
          map.setMaxBounds(D.maxBounds);
          map.options.maxBoundsViscosity = 0.8;
        }
      }

    }

    function teardown() {
      var slider = api.data && api.data.slider;
      state.dayMs = slider && api.day !== null ? api.day0 + api.day * DAY_MS : null;
      state.atEnd = !slider || api.day === null || api.day >= slider.days - 1;
      map.closePopup();
      overlays.forEach(function (layer) {
        layerControl.removeLayer(layer);
        if (map.hasLayer(layer)) map.removeLayer(layer);
      });
      overlays = [];
      cleanup.forEach(function (f) { f(); });
      cleanup = [];
      ['regions', 'control', 'districts', 'places', 'events'].forEach(function (k) { delete api.layers[k]; });
    }

    // ---------------------------------------------------------------- live updates
    // Merge a part (the format of maps.page_data: strings, events,
    // eventSymbols, places, control, districts, controlColors, reports,
    // slider) into the current data, then redraw. Strings are re-indexed,
    // event days re-based on the earliest day 0, events re-sorted by day.
    function merge(base, part) {
      var out = JSON.parse(JSON.stringify(base));
      out.strings = out.strings || [];
      var index = {};
      out.strings.forEach(function (s, i) { index[s] = i; });
      var PS = part.strings || [];
      var restr = function (i) {
        if (i < 0 || i === null || i === undefined) return -1;
        var s = PS[i];
        if (index[s] === undefined) { index[s] = out.strings.length; out.strings.push(s); }
        return index[s];
      };
      var d0 = out.slider ? Date.parse(out.slider.day0 + 'T00:00:00Z') : null;
      var p0 = part.slider ? Date.parse(part.slider.day0 + 'T00:00:00Z') : null;
      var n0 = d0 === null ? p0 : (p0 === null ? d0 : Math.min(d0, p0));
      var shiftBase = d0 === null ? 0 : Math.round((d0 - n0) / DAY_MS);
      var shiftPart = p0 === null ? 0 : Math.round((p0 - n0) / DAY_MS);
      var shiftDay = function (d, s) { return d < 0 ? d : d + s; };
      if (n0 !== null) {
        var last = -1;
        if (out.slider) last = Math.max(last, out.slider.days - 1 + shiftBase);
        if (part.slider) last = Math.max(last, part.slider.days - 1 + shiftPart);
        out.slider = {day0: new Date(n0).toISOString().slice(0, 10), days: last + 1};
      }
      var shiftStates = function (fc, s) {
        fc.features.forEach(function (f) {
          f.properties.states.forEach(function (st) { st[0] = shiftDay(st[0], s); });
        });
      };
      ['control', 'districts'].forEach(function (key) {
        if (out[key]) shiftStates(out[key].shapes, shiftBase);
        if (!part[key]) return;
        var fresh = JSON.parse(JSON.stringify(part[key].shapes));
        shiftStates(fresh, shiftPart);
        if (!out[key]) { out[key] = {shapes: fresh, missing: part[key].missing || []}; return; }
        var at = {};
        out[key].shapes.features.forEach(function (f, i) { at[f.properties.iso] = i; });
        fresh.features.forEach(function (f) {
          if (at[f.properties.iso] === undefined) out[key].shapes.features.push(f);
          else out[key].shapes.features[at[f.properties.iso]] = f;
        });
      });
      if (part.controlColors) {
        if (!out.controlColors) out.controlColors = part.controlColors;
        else {
          Object.keys(part.controlColors.controllers).forEach(function (k) {
            if (!out.controlColors.controllers[k]) out.controlColors.controllers[k] = part.controlColors.controllers[k];
          });
          Object.keys(part.controlColors.hatch).forEach(function (k) {
            if (!out.controlColors.hatch[k]) out.controlColors.hatch[k] = part.controlColors.hatch[k];
          });
        }
      }
      if (part.reports) {
        out.reports = out.reports || {};
        Object.keys(part.reports).forEach(function (k) { out.reports[k] = part.reports[k]; });
      }
      if (part.places) {
        if (!out.places) out.places = {markers: [], dropped: 0};
        out.places.markers = out.places.markers.concat(part.places.markers);
      }
      var STR = ['id', 'date', 'sub', 'actor1', 'actor2', 'location', 'admin1', 'source', 'notes',
                 'claim', 'url'];
      var NUM = ['lat', 'lon', 'hollow', 'precision', 'count'];
      if (out.events) out.events.day = out.events.day.map(function (d) { return shiftDay(d, shiftBase); });
      if (part.events && part.events.n) {
        out.eventSymbols = out.eventSymbols || [];
        var symAt = {};
        out.eventSymbols.forEach(function (s, i) { symAt[s.type] = i; });
        var typeMap = (part.eventSymbols || []).map(function (s) {
          if (symAt[s.type] === undefined) { symAt[s.type] = out.eventSymbols.length; out.eventSymbols.push(s); }
          return symAt[s.type];
        });
        var ev = out.events || {n: 0, dropped: 0, day: [], type: []};
        STR.concat(NUM).forEach(function (c) { ev[c] = ev[c] || []; });
        var pe = part.events;
        for (var k = 0; k < pe.n; k++) {
          STR.forEach(function (c) { ev[c].push(restr(pe[c][k])); });
          NUM.forEach(function (c) { ev[c].push(pe[c][k]); });
          ev.day.push(shiftDay(pe.day[k], shiftPart));
          ev.type.push(typeMap[pe.type[k]]);
        }
        ev.n += pe.n;
        ev.dropped += pe.dropped || 0;
        // keep events sorted by day (stable)
        var order = ev.day.map(function (d, i) { return i; });
        order.sort(function (a, b) { return ev.day[a] - ev.day[b] || a - b; });
        STR.concat(NUM, ['day', 'type']).forEach(function (c) {
          var col = ev[c];
          ev[c] = order.map(function (i) { return col[i]; });
        });
        out.events = ev;
      }
      return out;
    }

    // ACLED-like rows ({event_id, event_date, event_type, actor1, latitude, ...}, as
    // geomap's events table and the service's stream have them) to a part in
    // the page's format
    function rowsToPart(rows) {
      var strings = [], index = {};
      var sid = function (v) {
        if (v === null || v === undefined) return -1;
        var t = String(v).trim();
        if (!t) return -1;
        if (index[t] === undefined) { index[t] = strings.length; strings.push(t); }
        return index[t];
      };
      var all = api.data.allEventSymbols || [];
      var confirmed = api.data.confirmedClaims || ['', 'reported', 'confirmed', 'verified'];
      var symbols = [], symAt = {};
      var ev = {n: 0, dropped: 0, lat: [], lon: [], day: [], type: [], hollow: [], id: [], date: [],
                sub: [], actor1: [], actor2: [], location: [], admin1: [], source: [], notes: [],
                claim: [], url: [], precision: [], count: []};
      var times = rows.map(function (r) {
        var t = r && typeof r.event_date === 'string' ? Date.parse(r.event_date.slice(0, 10) + 'T00:00:00Z') : NaN;
        return isNaN(t) ? null : t;
      });
      var dated = times.filter(function (t) { return t !== null; });
      var t0 = dated.length ? Math.min.apply(null, dated) : null;
      var t1 = dated.length ? Math.max.apply(null, dated) : null;
      rows.forEach(function (r, k) {
        var lat = r && Number(r.latitude), lon = r && Number(r.longitude);
        if (!r || !isFinite(lat) || !isFinite(lon) || r.latitude === null || r.longitude === null) {
          ev.dropped++; return;
        }
        var name = String(r.event_type || '').toLowerCase();
        var t = all.findIndex(function (s) { return s.type.toLowerCase() === name; });
        if (t < 0) t = all.length - 1;  // the codebook's types, else "Other"
        if (symAt[t] === undefined) { symAt[t] = symbols.length; symbols.push(all[t]); }
        var claim = r.claim_status === null || r.claim_status === undefined ? '' : String(r.claim_status).trim().toLowerCase();
        ev.lat.push(Math.round(lat * 1e4) / 1e4);
        ev.lon.push(Math.round(lon * 1e4) / 1e4);
        ev.day.push(times[k] === null ? -1 : Math.round((times[k] - t0) / DAY_MS));
        ev.type.push(symAt[t]);
        ev.hollow.push(confirmed.indexOf(claim) < 0 ? 1 : 0);
        ev.id.push(sid(r.event_id));
        ev.date.push(times[k] === null ? sid(r.event_date) : -1);
        ev.sub.push(sid(r.sub_event_type));
        ev.actor1.push(sid(r.actor1));
        ev.actor2.push(sid(r.actor2));
        ev.location.push(sid(r.location));
        ev.admin1.push(sid(r.admin1));
        ev.source.push(sid(r.source));
        ev.notes.push(sid(r.notes));
        ev.claim.push(sid(r.claim_status));
        ev.url.push(isHttpUrl(r.url) ? sid(r.url) : -1);
        ev.precision.push(Number(r.geo_precision) || 0);
        ev.count.push(Number(r.sources_count) || 1);
        ev.n++;
      });
      var part = {strings: strings, events: ev, eventSymbols: symbols};
      if (t0 !== null) part.slider = {day0: new Date(t0).toISOString().slice(0, 10),
                                      days: Math.round((t1 - t0) / DAY_MS) + 1};
      return part;
    }

    // keep the events whose id is not in `ids`
    function withoutEvents(data, ids) {
      var E = data.events;
      if (!E || !ids.length) return data;
      var S = data.strings, drop = {};
      ids.forEach(function (i) { drop[i] = true; });
      var keep = [];
      for (var k = 0; k < E.n; k++) if (!(E.id[k] >= 0 && drop[S[E.id[k]]])) keep.push(k);
      if (keep.length === E.n) return data;
      var out = Object.assign({}, data), ev = {n: keep.length, dropped: E.dropped};
      Object.keys(E).forEach(function (c) {
        if (Array.isArray(E[c])) ev[c] = keep.map(function (k) { return E[c][k]; });
      });
      out.events = ev;
      return out;
    }

    var publicApi = {
      /** Redraw the page from a whole new data blob (keeps the view and the reader's choices). */
      setData: function (blob) { teardown(); render(blob, false); api.data = blob; },
      /** Merge new events, places and control into the page without a reload.
       *  `part.events` is either the page's columnar format (maps.page_data) or an
       *  array of ACLED-like rows; an event whose event_id is already drawn replaces it. */
      addData: function (part) {
        part = part || {};
        if (Array.isArray(part.events)) {
          var rows = rowsToPart(part.events);
          part = Object.assign({}, part, rows, {strings: rows.strings});
        }
        var ids = [];
        if (part.events && part.events.id) {
          part.events.id.forEach(function (i) { if (i >= 0) ids.push(part.strings[i]); });
        }
        publicApi.setData(merge(withoutEvents(api.data, ids), part));
      },
      /** Remove events by id (a retraction). */
      removeEvents: function (ids) { publicApi.setData(withoutEvents(api.data, ids || [])); },
      /** The data the page draws now. */
      getData: function () { return api.data; }
    };
    window.geomap = publicApi;
    api.addData = publicApi.addData;

    render(D, true);
    timings.total = performance.now() - t0;
    window.__geomapReadyAt = performance.now();  // ms since navigation start
    window.__geomapReady = true;
    document.documentElement.setAttribute('data-geomap-ready', '1');
  };
})();
