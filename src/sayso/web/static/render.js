/* Draws an article with its report: statements, cues, sources, figures, embedded posts,
   and a speaker panel. Article text only ever enters the page through text nodes
   (textContent), never as HTML, so nothing in an article can run or load anything. */
"use strict";

const Sayso = (() => {
  const NO_SOURCE = "(no named source)";

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function ranges(span, n) {
    if (!span) return [];
    const raw = Array.isArray(span.spans) && span.spans.length ? span.spans : [[span.start, span.end]];
    const out = [];
    for (const [s, e] of raw) {
      const a = Math.max(0, Math.min(n, Number(s) | 0)), b = Math.max(0, Math.min(n, Number(e) | 0));
      if (b > a) out.push([a, b]);
    }
    return out;
  }

  /* One group per speaker: by entity, and a name without an entity joins the entity of that name. */
  function speakerKey(a, entityByName) {
    if (!a.speaker) return "none";
    if (a.speaker.entity) return "e:" + a.speaker.entity;
    const same = entityByName.get(a.speaker.name);
    return same ? "e:" + same : "n:" + a.speaker.name;
  }
  function speakerName(a) { return a.speaker && a.speaker.name ? a.speaker.name : NO_SOURCE; }

  function viaText(a) {
    if (!a.via || !a.via.length) return "";
    return a.via.map(v => `${v.name} (${v.relation})`).join(" ← ");
  }

  function pct(x) { return Math.round(Number(x || 0) * 100) + "%"; }

  function oneLine(s, max) {
    const t = String(s || "").replace(/\s+/g, " ").trim();
    return t.length > max ? t.slice(0, max - 1) + "…" : t;
  }

  function safeHttpUrl(u) {
    try {
      const url = new URL(String(u), window.location.href);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (_) { return null; }
  }

  /* Cut the text at every span edge; each piece knows which marks cover it. */
  function segments(text, marks, cutsExtra) {
    const n = text.length;
    const cuts = new Set([0, n, ...cutsExtra]);
    for (const m of marks) { cuts.add(m.s); cuts.add(m.e); }
    const pts = [...cuts].filter(x => x >= 0 && x <= n).sort((x, y) => x - y);
    const byStart = [...marks].sort((x, y) => x.s - y.s);
    const segs = [];
    let active = [], k = 0;
    for (let i = 0; i + 1 < pts.length; i++) {
      const s = pts[i], e = pts[i + 1];
      while (k < byStart.length && byStart[k].s <= s) active.push(byStart[k++]);
      active = active.filter(m => m.e > s);
      segs.push({ s, e, marks: active.filter(m => m.s <= s && m.e >= e) });
    }
    return segs;
  }

  function render(data, opts) {
    const o = Object.assign({
      article: document.getElementById("article"),
      speakers: document.getElementById("speakers"),
      detail: document.getElementById("detail"),
      summary: document.getElementById("summary"),
      meta: document.getElementById("meta"),
    }, opts || {});
    const art = data.article || {};
    const text = String(art.text || "");
    const rep = data.report || {};
    const atts = rep.attributions || [];
    const figs = rep.figures || [];
    const posts = (rep.embedded_posts || []).slice().sort((x, y) => x.span.start - y.span.start);
    const ents = new Map((rep.entities || []).map(e => [e.id, e]));
    const entityByName = new Map((rep.entities || []).map(e => [e.name, e.id]).reverse());
    const n = text.length;

    const marks = [];
    const contentLen = new Map();
    for (const a of atts) {
      ranges(a.content, n).forEach(([s, e]) => marks.push({ s, e, role: "c", a }));
      ranges(a.cue, n).forEach(([s, e]) => marks.push({ s, e, role: "q", a }));
      ranges(a.source, n).forEach(([s, e]) => marks.push({ s, e, role: "s", a }));
      contentLen.set(a.id, (a.content ? a.content.end - a.content.start : n) || n);
    }
    for (const f of figs) ranges(f.span, n).forEach(([s, e]) => marks.push({ s, e, role: "fig", f }));

    // embedded posts: non-overlapping boxes, in text order
    const boxes = [];
    for (const p of posts) {
      const [r] = ranges(p.span, n);
      if (r && (!boxes.length || r[0] >= boxes[boxes.length - 1].e)) boxes.push({ s: r[0], e: r[1], p });
    }
    const labelAt = new Map();  // offset -> attributions whose statement starts there
    for (const a of atts) {
      const [r] = ranges(a.content, n);
      if (r) { if (!labelAt.has(r[0])) labelAt.set(r[0], []); labelAt.get(r[0]).push(a); }
    }
    const segs = segments(text, marks, [...labelAt.keys(), ...boxes.flatMap(b => [b.s, b.e])]);

    const root = o.article;
    root.replaceChildren();
    const nodesOf = new Map();  // attribution id -> elements
    const addNode = (id, node) => { if (!nodesOf.has(id)) nodesOf.set(id, []); nodesOf.get(id).push(node); };
    let parent = root, box = 0;

    for (const seg of segs) {
      if (box < boxes.length && seg.s === boxes[box].s) {
        parent = postBox(boxes[box].p);
        root.appendChild(parent);
      }
      for (const a of labelAt.get(seg.s) || []) {
        const lab = el("span", "label", speakerName(a));
        lab.dataset.att = a.id;
        lab.setAttribute("aria-hidden", "true");
        addNode(a.id, lab);
        parent.appendChild(lab);
      }
      const piece = text.slice(seg.s, seg.e);
      if (!seg.marks.length) {
        parent.appendChild(document.createTextNode(piece));
      } else {
        const span = el("span", null, piece);
        const roles = new Set(seg.marks.map(m => m.role));
        span.className = [...roles].join(" ");
        const mine = [...new Set(seg.marks.filter(m => m.a).map(m => m.a))]
          .sort((x, y) => contentLen.get(x.id) - contentLen.get(y.id));
        if (mine.length) {
          span.dataset.atts = mine.map(a => a.id).join(" ");
          span.title = mine.map(tip).join("\n");
          span.tabIndex = -1;
          mine.forEach(a => addNode(a.id, span));
        }
        const fig = seg.marks.find(m => m.f);
        if (fig) {
          const f = fig.f;
          span.title = (span.title ? span.title + "\n" : "") + "figure: " +
            [f.qualifier, f.value, f.unit, f.counts].filter(x => x !== null && x !== undefined && x !== "").join(" ");
        }
        parent.appendChild(span);
      }
      if (box < boxes.length && seg.e === boxes[box].e) { parent = root; box++; }
    }

    // how the speaker was resolved, in words: what the reader can check in the text
    function whyText(a) {
      const r = a.resolution;
      if (!r) return null;
      const src = a.source ? `“${oneLine(a.source.text, 80)}”` : "the statement";
      const thr = r.through ? `“${oneLine(r.through.text, 80)}”` : null;
      switch (r.how) {
        case "name": return `${src} names them`;
        case "pronoun": return thr ? `${src} refers back to ${thr}` : `${src} refers back to them`;
        case "descriptor": return thr ? `${src} describes ${thr}` : `${src} describes them`;
        case "inherited": return `a quote with no cue of its own: it goes on from ${thr || "the quote before"}`;
        case "unnamed": return `${src}: the article does not name this source`;
        case "post": return "the author of the embedded post";
        default: return "no source given";
      }
    }

    function tip(a) {
      const bits = [`${speakerName(a)} · ${a.kind} · ${pct(a.confidence)}`];
      const v = viaText(a);
      if (v) bits.push("via " + v);
      return bits.join(" · ");
    }

    function postBox(p) {
      const d = el("div", "post");
      const head = el("div", "post-head");
      head.appendChild(el("span", "platform", p.platform || "post"));
      if (p.author) head.appendChild(el("span", "author", p.author));
      if (p.handle) head.appendChild(el("span", "handle", p.handle));
      if (p.date) head.appendChild(el("span", "date", p.date));
      head.setAttribute("aria-hidden", "true");
      d.appendChild(head);
      return d;
    }

    // details of one statement, on click
    const byId = new Map(atts.map(a => [a.id, a]));
    function showDetail(a) {
      const d = o.detail;
      if (!d) return;
      d.replaceChildren();
      d.hidden = false;
      const close = el("button", "close", "×");
      close.type = "button";
      close.setAttribute("aria-label", "close");
      close.addEventListener("click", () => { d.hidden = true; select(null); });
      d.appendChild(close);
      d.appendChild(el("h3", null, speakerName(a)));
      const dl = el("dl");
      const row = (k, v) => { if (v === null || v === undefined || v === "") return;
        dl.appendChild(el("dt", null, k)); dl.appendChild(el("dd", null, v)); };
      row("kind", a.kind);
      row("confidence", pct(a.confidence));
      row("cue", a.cue && a.cue.text);
      row("source", a.source && a.source.text);
      const ent = a.speaker && a.speaker.entity ? ents.get(a.speaker.entity) : null;
      if (ent) row("speaker", `${ent.name} (${ent.type})` + (ent.descriptors && ent.descriptors.length ? " — " + ent.descriptors.join("; ") : ""));
      row("via", viaText(a) || "directly");
      row("why this speaker", whyText(a));
      row("found by", a.origin);
      d.appendChild(dl);
      d.appendChild(el("blockquote", null, oneLine(a.content && a.content.text, 400)));
    }

    let selected = null;
    function select(id) {
      if (selected) (nodesOf.get(selected) || []).forEach(x => x.classList.remove("sel"));
      selected = id;
      if (id) (nodesOf.get(id) || []).forEach(x => x.classList.add("sel"));
    }
    function hover(id, on) { (nodesOf.get(id) || []).forEach(x => x.classList.toggle("hot", on)); }

    root.onclick = ev => {
      const t = ev.target.closest("[data-atts],[data-att]");
      if (!t) return;
      const id = t.dataset.att || t.dataset.atts.split(" ")[0];
      const a = byId.get(id);
      if (a) { select(id); showDetail(a); }
    };
    let hot = null;
    root.onmouseover = ev => {
      const t = ev.target.closest("[data-atts],[data-att]");
      const id = t ? (t.dataset.att || t.dataset.atts.split(" ")[0]) : null;
      if (id === hot) return;
      if (hot) hover(hot, false);
      hot = id;
      if (id) hover(id, true);
    };
    root.onmouseleave = () => { if (hot) hover(hot, false); hot = null; };

    // speaker panel
    const groups = new Map();
    for (const a of atts) {
      const k = speakerKey(a, entityByName);
      if (!groups.has(k)) groups.set(k, { key: k, name: speakerName(a), atts: [],
        ent: k.startsWith("e:") ? ents.get(k.slice(2)) : null });
      groups.get(k).atts.push(a);
    }
    const ordered = [...groups.values()].sort((x, y) =>
      (x.key === "none") - (y.key === "none") || y.atts.length - x.atts.length || x.name.localeCompare(y.name));
    const list = o.speakers;
    let focused = null;
    if (list) {
      list.replaceChildren();
      if (!ordered.length) list.appendChild(el("li", "empty", "No attributions found."));
      for (const g of ordered) {
        const li = el("li", "speaker");
        li.dataset.speaker = g.key;
        const btn = el("button", "speaker-name");
        btn.type = "button";
        btn.appendChild(el("span", "name", g.name));
        btn.appendChild(el("span", "count", g.atts.length));
        btn.setAttribute("aria-pressed", "false");
        li.appendChild(btn);
        if (g.ent) {
          const sub = [g.ent.type].concat(g.ent.descriptors || []).filter(Boolean).join(" · ");
          li.appendChild(el("div", "sub", sub));
        }
        const ul = el("ul", "statements");
        for (const a of g.atts) {
          const item = el("li", "statement", oneLine(a.content && a.content.text, 140));
          const k = el("span", "kind", a.kind);
          item.prepend(k);
          item.addEventListener("click", () => {
            const first = (nodesOf.get(a.id) || [])[0];
            if (first) first.scrollIntoView({ block: "center", behavior: "smooth" });
            select(a.id); showDetail(a);
          });
          ul.appendChild(item);
        }
        li.appendChild(ul);
        btn.addEventListener("click", () => focus(focused === g.key ? null : g));
        list.appendChild(li);
      }
    }
    function focus(g) {
      root.querySelectorAll(".on").forEach(x => x.classList.remove("on"));
      if (list) list.querySelectorAll(".speaker").forEach(li => {
        const on = !!g && li.dataset.speaker === g.key;
        li.classList.toggle("active", on);
        li.querySelector(".speaker-name").setAttribute("aria-pressed", String(on));
      });
      focused = g ? g.key : null;
      root.classList.toggle("focus", !!g);
      if (!g) return;
      for (const a of g.atts) (nodesOf.get(a.id) || []).forEach(x => x.classList.add("on"));
      const first = (nodesOf.get(g.atts[0].id) || [])[0];
      if (first && first.scrollIntoView) first.scrollIntoView({ block: "nearest" });
    }

    if (o.summary) {
      const plural = (k, w) => `${k} ${w}${k === 1 ? "" : "s"}`;
      o.summary.textContent = [plural(atts.length, "statement"),
        plural(ordered.filter(g => g.key !== "none").length, "speaker"),
        plural(posts.length, "embedded post"), plural(figs.length, "figure")].join(" · ");
    }
    if (o.meta) {
      o.meta.replaceChildren();
      if (art.title) o.meta.appendChild(el("h1", "title", art.title));
      const by = el("p", "byline");
      if (art.outlet) by.appendChild(el("span", "outlet", art.outlet));
      if (art.published) by.appendChild(el("span", "published", art.published));
      if (art.author) by.appendChild(el("span", "author", "by " + art.author));
      const href = art.url ? safeHttpUrl(art.url) : null;
      if (href) { const a = el("a", "url", art.url); a.href = href; a.rel = "noopener noreferrer nofollow"; by.appendChild(a); }
      else if (art.url) by.appendChild(el("span", "url", art.url));
      if (art.fetched) by.appendChild(el("span", "fetched muted", "fetched " + art.fetched));
      if (by.childNodes.length) o.meta.appendChild(by);
      for (const w of art.warnings || (rep.document && rep.document.warnings) || [])
        o.meta.appendChild(el("p", "warning", w));
    }
    return { focusSpeaker: key => focus(groups.get(key) || null), select };
  }

  return { render, el, segments };
})();
