// The report page: reads the data in #data and draws the header, the charts per product, the
// combinations of a tuning run and the session lanes. Only the visible lanes are in the
// document (a small report has them all); each lane is one canvas plus one marker per fire.
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("data").textContent);
  var ROW = 40;            // lane height in pixels (matches .lane in the CSS)
  var ALL_ROWS_UP_TO = 300; // reports with at most this many lanes shown keep every lane
  var OVERSCAN = 10;
  var PHASE_COLORS = { thinking: "#eef1f5", proactive: "#bbf7d0", cooldown: "#fcd34d", reactive: "#ddd6fe", tour: "#bfdbfe" };
  var TYPE_COLORS = { pageview: "#2563eb", click: "#ea580c", input: "#0d9488", submit: "#9333ea", chat_opened: "#db2777", chat_message: "#db2777", chip_click: "#ca8a04" };
  var PALETTE = ["#0891b2", "#65a30d", "#c026d3", "#b45309", "#4f46e5", "#be123c", "#0f766e", "#7c3aed"];
  var PAGE_COLORS = ["#e0e7ff", "#fef3c7", "#dcfce7", "#fce7f3", "#e0f2fe", "#f3e8ff", "#ffedd5", "#ecfccb"];

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function typeColor(i) {
    var name = D.types[i];
    return TYPE_COLORS[name] || PALETTE[i % PALETTE.length];
  }
  function path(url) {
    var m = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(\/.*)?$/i.exec(url);
    if (m) return m[1] || "/";
    return url || "(no URL)";
  }
  function secs(ms) {
    var s = ms / 1000;
    if (s < 60) return s.toFixed(s < 10 ? 1 : 0) + " s";
    if (s < 3600) return Math.floor(s / 60) + " min " + Math.round(s % 60) + " s";
    return Math.floor(s / 3600) + " h " + Math.round((s % 3600) / 60) + " min";
  }
  function when(t) {
    var d = new Date(t * 1000);
    return isNaN(d.getTime()) ? String(t) : d.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
  }
  function fmt(n) { return Number(n).toLocaleString("en-US"); }

  // ---------------------------------------------------------------------------------------
  // Header
  // ---------------------------------------------------------------------------------------
  var H = D.header;
  var run = $("run");
  function row(k, v) { run.appendChild(el("dt", null, k)); run.appendChild(el("dd", null, v)); }
  row("command", "autoplay " + H.command);
  row("config", H.config);
  row("recording", H.recording);
  row("options", H.options.map(function (o) { return o[0] + " " + o[1]; }).join("  ") || "(defaults)");
  row("decisions", H.sdk);
  (H.notes || []).forEach(function (n) { row("note", n); });
  var T = D.totals;
  [["sessions", T.sessions], ["actions", T.actions], ["records", T.records], ["fires", T.fires],
   ["timeouts", T.timeouts], ["never fired", T.never_fired]].forEach(function (p) {
    var s = el("div", "stat");
    s.appendChild(el("b", null, fmt(p[1])));
    s.appendChild(document.createTextNode(p[0]));
    $("totals").appendChild(s);
  });

  // ---------------------------------------------------------------------------------------
  // Charts per product
  // ---------------------------------------------------------------------------------------
  function bars(title, pairs) {
    var c = el("div", "chart");
    c.appendChild(el("h4", null, title));
    var max = pairs.reduce(function (m, p) { return Math.max(m, p[1]); }, 0) || 1;
    if (!pairs.length) c.appendChild(el("div", "muted", "none"));
    pairs.forEach(function (p) {
      var r = el("div", "bar-row");
      var l = el("span", "label", p[0]); l.title = p[0];
      var track = el("div");
      var b = el("div", "bar"); b.style.width = (100 * p[1] / max) + "%";
      track.appendChild(b);
      r.appendChild(l); r.appendChild(track); r.appendChild(el("span", "n", fmt(p[1])));
      c.appendChild(r);
    });
    return c;
  }
  function columns(title, bins, label) {
    var c = el("div", "chart");
    c.appendChild(el("h4", null, title));
    var cv = el("canvas", "spark");
    c.appendChild(cv);
    var axis = el("div", "axis");
    axis.appendChild(el("span", null, label(0)));
    axis.appendChild(el("span", null, bins.counts.length ? label(bins.counts.length) : "no fires"));
    c.appendChild(axis);
    requestAnimationFrame(function () {
      var g = sized(cv), w = cv.clientWidth, h = cv.clientHeight, n = bins.counts.length;
      var max = bins.counts.reduce(function (m, v) { return Math.max(m, v); }, 0) || 1;
      g.fillStyle = "#2563eb";
      for (var i = 0; i < n; i++) {
        var x = i * w / n, bh = (h - 4) * bins.counts[i] / max;
        g.fillRect(x, h - bh, Math.max(1, w / n - (n < 60 ? 1 : 0)), bh);
      }
    });
    return c;
  }
  D.products.forEach(function (p) {
    var card = el("div", "product");
    card.appendChild(el("h3", null, "Product " + (p.id || "(no product_id)")));
    var line = fmt(p.sessions) + " sessions · " + fmt(p.fired) + " with a fire · " + fmt(p.never_fired) +
      " never fired · " + fmt(p.timeouts) + " timeouts";
    card.appendChild(el("div", "muted", line));
    var charts = el("div", "charts");
    charts.appendChild(bars("Fires per trigger", p.fires));
    charts.appendChild(bars("Sessions", [["with a fire", p.fired], ["never fired", p.never_fired], ["timeouts", p.timeouts]]));
    var ff = p.first_fire;
    charts.appendChild(columns("Time to first fire (bars of " + secs(ff.width_s * 1000) + ")", ff,
      function (i) { return secs(i * ff.width_s * 1000); }));
    var ot = p.over_time;
    charts.appendChild(columns("Fires per " + (ot.width_s === 3600 ? "hour" : secs(ot.width_s * 1000)), ot,
      function (i) { return when(ot.start + i * ot.width_s); }));
    card.appendChild(charts);
    $("products").appendChild(card);
  });

  // ---------------------------------------------------------------------------------------
  // Combinations of a tuning run
  // ---------------------------------------------------------------------------------------
  if (D.tune && D.tune.length) {
    $("tune").hidden = false;
    var cols = [["fires", function (r) { return r.fires.reduce(function (s, f) { return s + f[1]; }, 0); }]];
    D.tune[0].columns.forEach(function (c, i) { cols.push([c[0], function (r) { return r.columns[i] ? r.columns[i][1] : 0; }]); });
    var sel = $("tune-sort");
    cols.forEach(function (c, i) { var o = el("option", null, c[0]); o.value = i; sel.appendChild(o); });
    var triggers = [];
    D.tune.forEach(function (r) { r.fires.forEach(function (f) { if (triggers.indexOf(f[0]) < 0) triggers.push(f[0]); }); });
    var drawTune = function () {
      var key = cols[+sel.value || 0][1];
      var rows = D.tune.slice().sort(function (a, b) { return key(b) - key(a); });
      var most = rows.reduce(function (m, r) { return Math.max(m, cols[0][1](r)); }, 0) || 1;
      var t = $("tune-table");
      t.textContent = "";
      var head = el("tr");
      D.tune[0].params.forEach(function (p) { head.appendChild(el("th", null, p[0])); });
      cols.forEach(function (c) { head.appendChild(el("th", null, c[0])); });
      head.appendChild(el("th", null, "fires per trigger"));
      t.appendChild(head);
      rows.forEach(function (r) {
        var tr = el("tr");
        r.params.forEach(function (p) { tr.appendChild(el("td", null, p[1])); });
        cols.forEach(function (c) { tr.appendChild(el("td", "num", fmt(c[1](r)))); });
        var td = el("td"), mini = el("div", "mini");
        r.fires.forEach(function (f) {
          var s = el("span"); s.style.width = (240 * f[1] / most) + "px";
          s.style.background = PALETTE[triggers.indexOf(f[0]) % PALETTE.length];
          s.title = f[0] + ": " + fmt(f[1]);
          mini.appendChild(s);
        });
        td.appendChild(mini); tr.appendChild(td); t.appendChild(tr);
      });
    };
    sel.addEventListener("change", drawTune);
    drawTune();
  }

  // ---------------------------------------------------------------------------------------
  // Sessions
  // ---------------------------------------------------------------------------------------
  var S = D.sessions;
  // A record body, rebuilt from the shared values (and kept once built).
  var BUILT = [];
  function detail(i) {
    if (BUILT[i] !== undefined) return BUILT[i];
    var x = D.values[i], out = x;
    if (x !== null && typeof x === "object") {
      if (x.l) out = x.l.map(detail);
      else {
        out = {};
        var ks = D.keys[x.o];
        for (var j = 0; j < ks.length; j++) out[ks[j]] = detail(x.v[j]);
      }
    }
    BUILT[i] = out;
    return out;
  }
  var PH = D.phases;
  // The trigger ids each session fired (from its records).
  var fired = S.map(function (s) {
    var set = [];
    for (var i = 1; i < s.r.length; i += 2) {
      var d = detail(s.r[i]);
      if (d.kind === "fire" && set.indexOf(d.trigger_id) < 0) set.push(d.trigger_id);
    }
    return set;
  });
  var allTriggers = [];
  fired.forEach(function (set) { set.forEach(function (t) { if (allTriggers.indexOf(t) < 0) allTriggers.push(t); }); });
  allTriggers.sort().forEach(function (t) { var o = el("option", null, t); o.value = t; $("trigger").appendChild(o); });

  var legend = $("legend");
  PH.forEach(function (p) {
    var s = el("span"), i = el("i"); i.style.background = PHASE_COLORS[p] || "#ddd";
    s.appendChild(i); s.appendChild(document.createTextNode(p)); legend.appendChild(s);
  });
  D.types.forEach(function (t, k) {
    var s = el("span"), i = el("i"); i.style.background = typeColor(k); i.style.borderRadius = "50%";
    s.appendChild(i); s.appendChild(document.createTextNode(t)); legend.appendChild(s);
  });
  var fl = el("span"), fi = el("i"); fi.style.background = "#dc2626"; fl.appendChild(fi);
  fl.appendChild(document.createTextNode("fire")); legend.appendChild(fl);

  var view = [];     // indices of the sessions shown, in order
  var order = -1;    // -1: largest first for actions and fires; start is earliest first
  function matches(i, q, urlHits, trig, never) {
    var s = S[i];
    if (never && s.f > 0) return false;
    if (trig && fired[i].indexOf(trig) < 0) return false;
    if (!q) return true;
    if (s.s.toLowerCase().indexOf(q) >= 0) return true;
    if (s.u && s.u.toLowerCase().indexOf(q) >= 0) return true;
    for (var k = 2; k < s.a.length; k += 3) if (urlHits[s.a[k]]) return true;
    return false;
  }
  function refresh() {
    var q = $("search").value.trim().toLowerCase();
    var urlHits = D.urls.map(function (u) { return q !== "" && u.toLowerCase().indexOf(q) >= 0; });
    var trig = $("trigger").value, never = $("never").checked;
    view = [];
    for (var i = 0; i < S.length; i++) if (matches(i, q, urlHits, trig, never)) view.push(i);
    var by = $("sort").value;
    var key = by === "actions" ? function (i) { return S[i].a.length; }
      : by === "fires" ? function (i) { return S[i].f; } : function (i) { return S[i].t0; };
    var dir = by === "start" ? order : -order;
    view.sort(function (a, b) { return dir * (key(b) - key(a)) || a - b; });
    $("shown").textContent = view.length === S.length ? fmt(S.length) + " lanes" : fmt(view.length) + " of " + fmt(S.length) + " lanes";
    $("rows").style.height = (view.length * ROW) + "px";
    drawn = {};
    $("rows").textContent = "";
    paint();
    document.body.dataset.query = $("search").value;
  }
  var drawn = {};    // position in view → lane element
  function paint() {
    var list = $("list");
    var from = 0, to = view.length;
    if (view.length > ALL_ROWS_UP_TO) {
      from = Math.max(0, Math.floor(list.scrollTop / ROW) - OVERSCAN);
      to = Math.min(view.length, Math.ceil((list.scrollTop + list.clientHeight) / ROW) + OVERSCAN);
    }
    Object.keys(drawn).forEach(function (k) {
      if (k < from || k >= to) { drawn[k].remove(); delete drawn[k]; }
    });
    for (var k = from; k < to; k++) {
      if (drawn[k]) continue;
      var lane = makeLane(view[k]);
      lane.style.top = (k * ROW) + "px";
      drawn[k] = lane;
      $("rows").appendChild(lane);
    }
  }
  function makeLane(i) {
    var s = S[i];
    var lane = el("div", "lane");
    lane.dataset.session = i;
    var who = el("div", "who");
    who.appendChild(el("b", null, s.s));
    var sub = (s.u ? s.u + " · " : "") + fmt(s.a.length / 3) + " actions · " + s.f + " fire" + (s.f === 1 ? "" : "s") + " · " + secs(s.d);
    who.appendChild(el("span", null, sub));
    who.title = s.s + "\n" + sub + "\nstarts " + when(s.t0);
    lane.appendChild(who);
    var track = el("div", "track");
    lane.appendChild(track);
    drawTrack(track, s, false);
    lane.addEventListener("click", function (e) {
      if (e.target.classList.contains("fire")) return;
      openDetail(i);
    });
    return lane;
  }
  function sized(cv) {
    var r = window.devicePixelRatio || 1;
    cv.width = Math.max(1, Math.round(cv.clientWidth * r));
    cv.height = Math.max(1, Math.round(cv.clientHeight * r));
    var g = cv.getContext("2d");
    g.setTransform(r, 0, 0, r, 0, 0);
    return g;
  }
  // Draws a session's phases, pages, actions and fires into `track` (a positioned box).
  function drawTrack(track, s, big) {
    var cv = el("canvas");
    track.appendChild(cv);
    var span = Math.max(s.d, 1);
    var fires = [];
    for (var k = 0; k < s.r.length; k += 2) {
      var d = detail(s.r[k + 1]);
      if (d.kind === "fire") {
        var m = el("span", "fire");
        m.style.left = (100 * s.r[k] / span) + "%";
        m.dataset.detail = s.r[k + 1];
        m.dataset.at = s.r[k];
        fires.push(m);
        track.appendChild(m);
      }
    }
    fires.forEach(function (m) {
      m.addEventListener("mouseenter", function (e) { showTip(e, fireTip(detail(+m.dataset.detail), +m.dataset.at)); });
      m.addEventListener("mouseleave", hideTip);
      m.addEventListener("click", function (e) { e.stopPropagation(); openDetail(S.indexOf(s)); });
    });
    var draw = function () {
      var g = sized(cv), w = cv.clientWidth, h = cv.clientHeight;
      if (!w) return;
      var x = function (ms) { return ms / span * w; };
      // Phases: state bands over the whole height, cooldowns as a stripe at the bottom.
      for (var b = 0; b < s.b.length; b += 3) {
        var name = PH[s.b[b + 2]];
        g.fillStyle = PHASE_COLORS[name] || "#eee";
        if (name === "cooldown") g.fillRect(x(s.b[b]), h - 5, Math.max(1, x(s.b[b + 1]) - x(s.b[b])), 5);
        else g.fillRect(x(s.b[b]), 0, Math.max(1, x(s.b[b + 1]) - x(s.b[b])), h - 5);
      }
      // Pages: a strip per run of actions on one URL, labelled by its path where it fits.
      var top = big ? 18 : 11;
      var a = s.a, start = 0, color = 0;
      g.font = (big ? 12 : 10) + "px system-ui, sans-serif";
      g.textBaseline = "middle";
      for (var k = 0; k <= a.length; k += 3) {
        if (k === a.length || (k > 0 && a[k + 2] !== a[start + 2])) {
          if (k > 0) {
            var x0 = x(a[start]), x1 = k === a.length ? w : x(a[k]);
            g.fillStyle = PAGE_COLORS[color++ % PAGE_COLORS.length];
            g.fillRect(x0, 0, Math.max(1, x1 - x0), top);
            var label = path(D.urls[a[start + 2]]);
            if (x1 - x0 > 40) {
              g.fillStyle = "#374151";
              g.save(); g.beginPath(); g.rect(x0, 0, x1 - x0 - 2, top); g.clip();
              g.fillText(label, x0 + 3, top / 2); g.restore();
            }
          }
          start = k;
        }
      }
      // Actions: a dot per mark, coloured by type.
      var mid = top + (h - 5 - top) / 2, rad = big ? 4 : 2.5;
      for (var k2 = 0; k2 < a.length; k2 += 3) {
        g.fillStyle = typeColor(a[k2 + 1]);
        g.beginPath(); g.arc(x(a[k2]), mid, rad, 0, 6.2832); g.fill();
      }
    };
    requestAnimationFrame(draw);
    // Hover: the nearest action within a few pixels.
    cv.addEventListener("mousemove", function (e) {
      var r = cv.getBoundingClientRect(), best = -1, bestDx = 6;
      for (var k = 0; k < s.a.length; k += 3) {
        var dx = Math.abs(s.a[k] / span * r.width - (e.clientX - r.left));
        if (dx < bestDx) { bestDx = dx; best = k; }
      }
      if (best < 0) { hideTip(); return; }
      var t = el("div");
      t.appendChild(el("div", null, D.types[s.a[best + 1]] + " at +" + secs(s.a[best])));
      t.appendChild(el("div", "k", D.urls[s.a[best + 2]] || "(no URL)"));
      showTip(e, t);
    });
    cv.addEventListener("mouseleave", hideTip);
    return cv;
  }
  function fireTip(d, at) {
    var t = el("div");
    t.appendChild(el("div", null, "fire " + d.trigger_id + " at +" + secs(at)));
    t.appendChild(el("div", null, d.body));
    if (d.chips && d.chips.length) {
      var c = el("div");
      d.chips.forEach(function (x) { c.appendChild(el("span", "chip", x)); });
      t.appendChild(c);
    }
    t.appendChild(el("div", "k", "judge " + d.judge + " · → " + d.state + (d.shadowed && d.shadowed.length ? " · shadowed " + d.shadowed.join(", ") : "")));
    if (d.why !== undefined) t.appendChild(why(d.why, "k"));
    return t;
  }
  // The reasons of a decision (a `why` object on fire and evaluation records).
  function why(w, cls) {
    var box = el("div", cls);
    box.classList.add("why");
    var lines = [];
    (function walk(v, prefix) {
      if (v === null || typeof v !== "object") { lines.push(prefix + String(v)); return; }
      if (Array.isArray(v)) { v.forEach(function (x) { walk(x, prefix); }); return; }
      Object.keys(v).forEach(function (k) {
        var x = v[k];
        if (x !== null && typeof x === "object") { lines.push(prefix + k + ":"); walk(x, prefix + "  "); }
        else lines.push(prefix + k + ": " + String(x));
      });
    })(w, "");
    box.textContent = "why\n" + lines.join("\n");
    return box;
  }
  var tip = $("tip");
  function showTip(e, content) {
    tip.textContent = "";
    tip.appendChild(content);
    tip.hidden = false;
    var x = Math.min(e.clientX + 14, window.innerWidth - tip.offsetWidth - 8);
    var y = e.clientY + 16;
    if (y + tip.offsetHeight > window.innerHeight) y = e.clientY - tip.offsetHeight - 10;
    tip.style.left = x + "px"; tip.style.top = y + "px";
  }
  function hideTip() { tip.hidden = true; }

  // ---------------------------------------------------------------------------------------
  // Detail
  // ---------------------------------------------------------------------------------------
  function describe(d) {
    switch (d.kind) {
      case "fire": return d.trigger_id + " (" + d.judge + ") " + JSON.stringify(d.body) +
        (d.chips && d.chips.length ? "  chips [" + d.chips.join(", ") + "] (" + d.chip_rule + ")" : "") + "  → " + d.state;
      case "timeout": return d.from + " timed out → thinking, cooldown " + d.cooldown_s + " s";
      case "reactive": return "via " + d.via + " → reactive_assistance";
      case "tour_offer": return "chip " + d.label + " offers tour " + d.flow_id + ": " + JSON.stringify(d.body);
      case "tour_started": return d.flow_id + " (via " + d.via + ")";
      case "tour_declined": return String(d.flow_id);
      case "invalid_transition": return d.event + ": " + d.error;
      case "session_end": return d.state + (d.cooldown_active ? " (cooling down)" : "") + ", " + d.fires + " fire" + (d.fires === 1 ? "" : "s");
      case "evaluation": return d.point + ": " + d.decision + (d.hits && d.hits.length ? "  hits: " + d.hits.join(", ") : "");
      default: return "";
    }
  }
  function openDetail(i) {
    var s = S[i];
    hideTip();
    $("detail-title").textContent = "Session " + s.s + (s.u ? " · user " + s.u : "") + " · product " +
      (D.products[s.p].id || "(no product_id)") + " · starts " + when(s.t0);
    var lane = $("detail-lane");
    lane.textContent = "";
    lane.dataset.session = i;
    var track = el("div", "track");
    lane.appendChild(track);
    $("detail").hidden = false;
    drawTrack(track, s, true);
    var ticks = el("div", "ticks"), step = niceStep(s.d / 8);
    for (var t = 0; t <= s.d; t += step) {
      var tk = el("span", null, "+" + secs(t));
      tk.style.left = (100 * t / Math.max(s.d, 1)) + "%";
      ticks.appendChild(tk);
    }
    lane.appendChild(ticks);
    var table = $("detail-records");
    table.textContent = "";
    var head = el("tr");
    ["+time", "ts", "kind", "details"].forEach(function (h) { head.appendChild(el("th", null, h)); });
    table.appendChild(head);
    for (var k = 0; k < s.r.length; k += 2) {
      var d = detail(s.r[k + 1]), tr = el("tr");
      tr.className = "record";
      tr.appendChild(el("td", "num", "+" + (s.r[k] / 1000).toFixed(1) + " s"));
      tr.appendChild(el("td", "num", (s.t0 + s.r[k] / 1000).toFixed(3)));
      tr.appendChild(el("td", "kind-" + d.kind, d.kind));
      var td = el("td", null, describe(d));
      if (d.why !== undefined) td.appendChild(why(d.why));
      tr.appendChild(td);
      table.appendChild(tr);
    }
  }
  function niceStep(raw) {
    var steps = [1000, 2000, 5000, 10000, 15000, 30000, 60000, 120000, 300000, 600000, 900000, 1800000, 3600000];
    for (var k = 0; k < steps.length; k++) if (steps[k] >= raw) return steps[k];
    return Math.ceil(raw / 3600000) * 3600000;
  }
  function closeDetail() { $("detail").hidden = true; hideTip(); }
  $("close").addEventListener("click", closeDetail);
  $("detail").addEventListener("click", function (e) { if (e.target === $("detail")) closeDetail(); });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") closeDetail(); });

  var pending = 0;
  $("search").addEventListener("input", function () { clearTimeout(pending); pending = setTimeout(refresh, 120); });
  $("trigger").addEventListener("change", refresh);
  $("never").addEventListener("change", refresh);
  $("sort").addEventListener("change", refresh);
  $("order").addEventListener("click", function () { order = -order; $("order").textContent = order < 0 ? "↓" : "↑"; refresh(); });
  var scheduled = false;
  $("list").addEventListener("scroll", function () {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(function () { scheduled = false; paint(); });
  });
  window.addEventListener("resize", function () { drawn = {}; $("rows").textContent = ""; paint(); });
  refresh();
  document.body.dataset.ready = "1";
  // After the first screen is painted: how long it took from the start of the navigation
  // (scripts/bench_report.sh reads it from the console).
  requestAnimationFrame(function () {
    setTimeout(function () {
      var ms = Math.round(performance.now());
      document.body.dataset.firstScreenMs = ms;
      console.debug("report: first screen after " + ms + " ms");
    }, 0);
  });
})();
