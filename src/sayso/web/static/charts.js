/* Charts drawn by the page itself as inline SVG: no library, nothing loaded from elsewhere.
   Each <figure class="chart" data-chart="..." data-source="..."> names what to draw and
   carries its numbers (the same JSON the API answers), escaped in the attribute like all text.

     women-by-outlet   share of statements by women per outlet (horizontal bars)
     women-by-month    share of statements by women per month (columns)
     speaker-timeline  one speaker's statements per month (columns)

   Every bar is a <rect class="bar"> with data-key and data-value (the number it draws),
   and a <title> a reader sees on hover. */
"use strict";

const SaysoCharts = (() => {
  const NS = "http://www.w3.org/2000/svg";

  function svg(tag, attrs, text) {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function pct(x) { return x === null || x === undefined ? "n/a" : (Math.round(x * 1000) / 10) + "%"; }

  /* Horizontal bars, one per row: {key, label, value (0..max or null), note}. */
  function bars(root, rows, opts) {
    const o = Object.assign({ max: 1, width: 720, row: 28, labelW: 200, format: pct }, opts || {});
    const plotW = o.width - o.labelW - 150;
    const h = rows.length * o.row + 30;
    const s = svg("svg", { viewBox: `0 0 ${o.width} ${h}`, width: "100%", role: "img",
                           "aria-label": o.title || "bar chart", class: "chart-svg" });
    for (const t of [0, 0.25, 0.5, 0.75, 1]) {  // gridlines at quarters of the scale
      const x = o.labelW + t * plotW;
      s.appendChild(svg("line", { x1: x, x2: x, y1: 0, y2: h - 22, class: t === 0.5 ? "grid mid" : "grid" }));
      s.appendChild(svg("text", { x, y: h - 6, class: "tick", "text-anchor": "middle" }, o.format(t * o.max)));
    }
    rows.forEach((r, i) => {
      const y = i * o.row + 4;
      s.appendChild(svg("text", { x: o.labelW - 8, y: y + o.row * 0.6, class: "label", "text-anchor": "end" },
                        clip(r.label, 28)));
      const v = r.value === null || r.value === undefined ? null : Number(r.value);
      const w = v === null ? 0 : Math.max(0, Math.min(1, v / o.max)) * plotW;
      const rect = svg("rect", { x: o.labelW, y, width: w.toFixed(2), height: o.row - 8,
                                 class: v === null ? "bar none" : "bar", "data-key": r.key ?? "",
                                 "data-value": v === null ? "" : v });
      rect.appendChild(svg("title", {}, `${r.label}: ${o.format(v)}${r.note ? " · " + r.note : ""}`));
      s.appendChild(rect);
      s.appendChild(svg("text", { x: o.labelW + w + 6, y: y + o.row * 0.6, class: "value" },
                        `${o.format(v)}${r.note ? "  " + r.note : ""}`));
    });
    root.appendChild(s);
  }

  /* Columns over time: {key, label, value (0..max or null), note}. */
  function columns(root, cols, opts) {
    const o = Object.assign({ max: 1, width: 720, height: 240, format: pct }, opts || {});
    const left = 52, bottom = 46, top = 12;
    const plotH = o.height - bottom - top;
    const step = cols.length ? (o.width - left - 10) / cols.length : 0;
    const s = svg("svg", { viewBox: `0 0 ${o.width} ${o.height}`, width: "100%", role: "img",
                           "aria-label": o.title || "column chart", class: "chart-svg" });
    for (const t of [0, 0.5, 1]) {
      const y = top + plotH * (1 - t);
      s.appendChild(svg("line", { x1: left, x2: o.width - 10, y1: y, y2: y, class: t === 0.5 ? "grid mid" : "grid" }));
      s.appendChild(svg("text", { x: left - 6, y: y + 4, class: "tick", "text-anchor": "end" }, o.format(t * o.max)));
    }
    const every = Math.max(1, Math.ceil(cols.length / 12));  // at most 12 axis labels
    cols.forEach((c, i) => {
      const v = c.value === null || c.value === undefined ? null : Number(c.value);
      const bh = v === null ? 0 : Math.max(0, Math.min(1, v / o.max)) * plotH;
      const x = left + i * step + step * 0.15;
      const rect = svg("rect", { x: x.toFixed(2), y: (top + plotH - bh).toFixed(2), width: (step * 0.7).toFixed(2),
                                 height: bh.toFixed(2), class: v === null ? "bar none" : "bar",
                                 "data-key": c.key ?? "", "data-value": v === null ? "" : v });
      rect.appendChild(svg("title", {}, `${c.label}: ${o.format(v)}${c.note ? " · " + c.note : ""}`));
      s.appendChild(rect);
      if (i % every === 0)
        s.appendChild(svg("text", { x: (x + step * 0.35).toFixed(2), y: o.height - bottom + 16, class: "tick",
                                    "text-anchor": "middle" }, c.label));
    });
    root.appendChild(s);
  }

  function clip(s, n) { s = String(s ?? ""); return s.length > n ? s.slice(0, n - 1) + "…" : s; }

  const count = x => x === null || x === undefined ? "n/a" : String(Math.round(x));
  const known = it => it.statements.female + it.statements.male;

  const KINDS = {
    "women-by-outlet": (root, data) => bars(root, data.items.map(it => ({
      key: it.key, label: it.key ?? "(no outlet)", value: it.women_share,
      note: `${it.statements.female} of ${known(it)} statements` +
            (it.statements.unknown ? `, ${it.statements.unknown} unknown` : "") })),
      { title: "share of statements by women, per outlet" }),
    "women-by-month": (root, data) => columns(root, data.items.map(it => ({
      key: it.key, label: it.key ?? "(no date)", value: it.women_share,
      note: `${it.statements.female} of ${known(it)} statements by people of known gender` })),
      { title: "share of statements by women, per month" }),
    "speaker-timeline": (root, data) => {
      const max = Math.max(1, ...data.map(m => m.statements));
      columns(root, data.map(m => ({ key: m.month, label: m.month ?? "(no date)", value: m.statements,
                                     note: `${m.articles} article${m.articles === 1 ? "" : "s"}` })),
              { max, format: count, title: "statements per month" });
    },
  };

  function drawAll(doc) {
    for (const fig of (doc || document).querySelectorAll("figure.chart[data-chart]")) {
      const draw = KINDS[fig.dataset.chart];
      if (!draw) continue;
      const holder = fig.querySelector(".plot") || fig;
      holder.replaceChildren();
      try {
        draw(holder, JSON.parse(fig.dataset.source));
        fig.dataset.drawn = "true";
      } catch (err) {
        holder.textContent = "The chart could not be drawn: " + err.message;
      }
    }
  }

  document.addEventListener("DOMContentLoaded", () => drawAll(document));
  if (document.readyState !== "loading") drawAll(document);
  return { bars, columns, drawAll };
})();
