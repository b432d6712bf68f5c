/* geomap: draws the layers of a geomap map from one JSON data blob.
 *
 * Safe text: every string that comes from a report is put into the page with
 * textContent (or as an attribute value through the DOM), never innerHTML.
 * The only HTML this script inserts comes from geomap's Python side, which
 * escaped it (credits, event symbols), or is a fixed string of this file.
 * Needs Leaflet 1.9, nothing else (events are clustered by this script).
 */
(function () {
  'use strict';

  var DAY_MS = 86400000;

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

  function dayText(day0, d) {
    return new Date(day0 + d * DAY_MS).toISOString().slice(0, 10);
  }

  // keep popups clear of the title box (top centre) and the layer control
  function popupOptions(width, height) {
    var o = {maxWidth: width, autoPanPaddingTopLeft: [20, 110], autoPanPaddingBottomRight: [20, 20]};
    if (height) o.maxHeight = height;
    return o;
  }

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
    var S = D.strings || [];
    function str(i) { return i >= 0 ? S[i] : null; }
    var api = {map: map, layers: {}, day: null, data: D, timings: timings};
    window.__geomap = api;

    // an offline map has no tile layer to give the zoom range
    if (map.options.maxZoom === undefined) map.setMaxZoom(18);
    map.attributionControl.setPrefix('Leaflet');
    if (D.credits) map.attributionControl.addAttribution(D.credits);

    // ---------------------------------------------------------------- base layers
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
    if (D.offline) {
      map.getContainer().classList.add('geomap-offline');
      var basePane = map.createPane('geomap-basemap');
      basePane.style.zIndex = 200;
      basePane.style.pointerEvents = 'none';
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

    // ---------------------------------------------------------------- view
    // no animation here: a zoom animation still running when the overlays are
    // added leaves Leaflet's view in an inconsistent state
    var legend = document.getElementById('geomap-legend');
    if (legend) boxControl(legend, 'bottomright').addTo(map);
    var titleBox = document.getElementById('geomap-title');
    if (titleBox) map.getContainer().appendChild(titleBox);
    // keep the data clear of the title box and the legend
    var right = legend ? legend.offsetWidth + 30 : 30;
    var bottom = D.slider ? 150 : 30;  // the time slider sits bottom left
    var fit = {paddingTopLeft: [30, 100], paddingBottomRight: [right, bottom], maxZoom: 9,
               animate: false};
    if (D.view) map.fitBounds(D.view, fit);
    else map.setView([34.5, 66.0], 5, {animate: false});
    if (D.maxBounds) {
      // the offline basemap covers only this area: keep the reader inside it
      map.setMinZoom(Math.min(map.getZoom(), Math.max(2, map.getBoundsZoom(D.maxBounds, false))));
      map.setMaxBounds(D.maxBounds);
      map.options.maxBoundsViscosity = 0.8;
    }

    var overlays = {};

    // ---------------------------------------------------------------- provinces
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
      // shading and control fill the same polygons: show control first when there is one
      if (!D.control) regions.addTo(map);
      api.layers.regions = regions;
      overlays[ch ? 'Provinces: place mentions' : 'Provinces'] = regions;
    }

    // ---------------------------------------------------------------- control
    var control = null;
    if (D.control) {
      var cc = D.controlColors;
      map.createPane('geomap-control').style.zIndex = 390;
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
        return {color: '#555555', weight: 0.9, dashArray: null, fillColor: color,
                fillOpacity: opacity};
      };
      var stateAt = function (states, day) {
        var found = null;
        for (var i = 0; i < states.length; i++) {
          if (day === null || states[i][0] <= day) found = states[i]; else break;
        }
        return found;
      };
      control = L.geoJSON(D.control.shapes, {
        pane: 'geomap-control', className: 'geomap-control',
        style: function (f) { return controlStyle(stateAt(f.properties.states, null)); },
        onEachFeature: function (f, layer) {
          tagIso(layer, f.properties.iso);
          layer.bindPopup(function () {
            var st = stateAt(f.properties.states, api.day);
            var box = el('div', 'geomap-popup');
            box.appendChild(el('div', 'geomap-popup-title', f.properties.name || f.properties.iso));
            row(box, 'Region', f.properties.iso);
            row(box, 'Status', st ? st[1] : 'unknown (no evidence)');
            if (st) {
              row(box, 'Controller', st[2]);
              row(box, 'Since', st[4]);
              row(box, 'Claim', st[3]);
              row(box, 'Evidence', st[5]);
            }
            if (api.day !== null && D.slider) row(box, 'As of', dayText(api.day0, api.day));
            return box;
          }, popupOptions(340));
        }
      });
      control.addTo(map);
      api.layers.control = control;
      api.controlStyleAt = function (day) {
        control.eachLayer(function (layer) {
          var st = stateAt(layer.feature.properties.states, day);
          layer.setStyle(controlStyle(st));
          layer.feature.properties._status = st ? st[1] : 'unknown';
          layer.feature.properties._controller = st ? st[2] : null;
        });
      };
      api.controlStyleAt(null);
      overlays['Territorial control'] = control;
    }

    // ---------------------------------------------------------------- places
    if (D.places) {
      var places = L.featureGroup();
      D.places.markers.forEach(function (p) {
        var marker = L.circleMarker([p.lat, p.lon], {
          radius: 6, color: '#ffffff', weight: 1.5, fillColor: D.placeColor,
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
        }, popupOptions(380, 320));
        places.addLayer(marker);
      });
      places.addTo(map);
      api.layers.places = places;
      overlays['Places named (' + D.places.markers.length + ')'] = places;
    }

    // ---------------------------------------------------------------- events
    // Events are clustered on a screen grid by this script: on every move or
    // zoom, one pass over the coordinates (100,000 take a few milliseconds)
    // puts each event shown into a 60-pixel cell; a cell with one event
    // becomes its symbol, a cell with more a numbered circle. Only what is on
    // screen exists in the page, so a big map stays light.
    var events = null, shown = 0;
    if (D.events) {
      var E = D.events;
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
      timings.markers = performance.now() - tm;
      var eventPopup = function (i) {
        var sym = D.eventSymbols[E.type[i]];
        var box = el('div', 'geomap-popup');
        box.appendChild(el('div', 'geomap-popup-title', sym.type));
        row(box, 'Sub-event type', str(E.sub[i]));
        row(box, 'Date', E.day[i] >= 0 && D.slider ?
            dayText(Date.parse(D.slider.day0 + 'T00:00:00Z'), E.day[i]) : str(E.date[i]));
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
        var src = el('div', 'geomap-popup-row');
        src.appendChild(el('span', 'geomap-popup-label', 'Source: '));
        var url = str(E.url[i]);
        var name = str(E.source[i]) || url || 'unknown';
        if (isHttpUrl(url)) {
          var a = el('a', null, name);
          a.href = url;
          a.target = '_blank';
          a.rel = 'noopener noreferrer';
          src.appendChild(a);
        } else {
          src.appendChild(el('span', 'geomap-popup-value', name));
        }
        box.appendChild(src);
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
      var CELL = 60;
      var markerCache = {};
      var markerFor = function (i) {
        var mk = markerCache[i];
        if (!mk) {
          mk = L.marker([E.lat[i], E.lon[i]], {icon: icons[2 * E.type[i] + E.hollow[i]],
                                                keyboard: false, title: str(E.location[i]) || ''});
          mk.on('click', function () {
            if (!mk.getPopup()) mk.bindPopup(eventPopup(i), popupOptions(360));
            mk.openPopup();
          });
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
          for (var k = 0; k < shown; k++) {
            var x = px[k] * scale, y = py[k] * scale;
            if (x < x0 || x > x1 || y < y0 || y > y1) continue;
            var key = Math.floor(x / CELL) * 4194304 + Math.floor(y / CELL);
            var c = cells.get(key);
            if (!c) cells.set(key, {n: 1, first: k, sx: x, sy: y, minx: x, maxx: x, miny: y, maxy: y, all: null});
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
                for (var k2 = 0; k2 < shown; k2++) {
                  var xx = px[k2] * scale, yy = py[k2] * scale;
                  if (xx >= c.minx && xx <= c.maxx && yy >= c.miny && yy <= c.maxy) members.push(k2);
                }
                cluster.bindPopup(stackPopup(members), popupOptions(380, 360)).openPopup();
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
      api.setEventsShown = function (k) {
        shown = k;
        events.redraw();
      };
      // zoom in until the event at `location` stands alone (for readers' links and tests)
      api.showEvent = function (location) {
        return new Promise(function (resolve) {
          for (var j = 0; j < shown; j++) {
            if (str(E.location[j]) === location) {
              map.once('moveend', function () { setTimeout(resolve, 50); });
              setTimeout(resolve, 1000);  // the view may not change at all
              map.setView([E.lat[j], E.lon[j]], Math.max(map.getZoom(), 10), {animate: false});
              return;
            }
          }
          resolve();
        });
      };
      tm = performance.now();
      shown = E.n;
      events.addTo(map);
      timings.cluster = performance.now() - tm;
      api.layers.events = events;
      api.shownEvents = function () { return shown; };
      overlays['Events (' + E.n.toLocaleString('en') + ')'] = events;
    }

    // ---------------------------------------------------------------- controls
    var layerControl = L.control.layers(bases, overlays, {collapsed: false, position: 'topright'});
    layerControl.addTo(map);
    api.layerControl = layerControl;

    // ---------------------------------------------------------------- time slider
    var sliderBox = document.getElementById('geomap-slider');
    if (D.slider && sliderBox) {
      var day0 = Date.parse(D.slider.day0 + 'T00:00:00Z');
      api.day0 = day0;
      var ndays = D.slider.days;
      var head = el('div', 'geomap-slider-head');
      var play = el('button', 'geomap-play', '▶');
      play.type = 'button';
      play.title = 'Replay day by day';
      var label = el('span', 'geomap-slider-date');
      head.appendChild(play);
      head.appendChild(label);
      var input = el('input', 'geomap-slider-input');
      input.type = 'range';
      input.min = '0';
      input.max = String(ndays - 1);
      input.step = '1';
      input.value = String(ndays - 1);
      input.setAttribute('aria-label', 'Date shown on the map');
      var counts = el('div', 'geomap-slider-counts');
      var ends = el('div', 'geomap-slider-ends');
      ends.appendChild(el('span', null, dayText(day0, 0)));
      ends.appendChild(el('span', null, dayText(day0, ndays - 1)));
      sliderBox.appendChild(head);
      sliderBox.appendChild(input);
      sliderBox.appendChild(ends);
      sliderBox.appendChild(counts);
      // events are sorted by day: the ones shown on day d are a prefix
      var prefix = function (d) {
        if (!D.events) return 0;
        var days = D.events.day, lo = 0, hi = days.length;
        while (lo < hi) { var mid = (lo + hi) >> 1; if (days[mid] <= d) lo = mid + 1; else hi = mid; }
        return lo;
      };
      var setDay = function (d) {
        d = Math.max(0, Math.min(ndays - 1, d | 0));
        api.day = d;
        input.value = String(d);
        label.textContent = 'Up to ' + dayText(day0, d);
        if (control) api.controlStyleAt(d);
        var parts = [];
        if (D.events) {
          api.setEventsShown(prefix(d));
          parts.push(shown.toLocaleString('en') + ' of ' + D.events.n.toLocaleString('en') +
                     ' events so far');
        }
        if (control) {
          var tally = {};
          control.eachLayer(function (layer) {
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
      boxControl(sliderBox, 'bottomleft').addTo(map);
      setDay(ndays - 1);
    }

    timings.total = performance.now() - t0;
    window.__geomapReadyAt = performance.now();  // ms since navigation start
    window.__geomapReady = true;
    document.documentElement.setAttribute('data-geomap-ready', '1');
  };
})();
