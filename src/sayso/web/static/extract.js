/* The "read an article" page: send pasted text or an uploaded file to POST /api/extract
   and draw the answer with Sayso.render. */
"use strict";

(() => {
  const form = document.getElementById("extract-form");
  const status = document.getElementById("status");
  const result = document.getElementById("result");
  const textArea = document.getElementById("text");
  const fileIn = document.getElementById("file");
  const title = document.getElementById("title");
  const go = document.getElementById("go");
  const maxBody = Number(form.dataset.maxBody || 0);

  const EXAMPLE = [
    "Harbor City to rebuild Old Mill bridge after spring flood",
    "",
    "HARBOR CITY (Wire) — The city will rebuild the Old Mill bridge before winter, officials said on Tuesday, a week after floodwater closed the crossing.",
    "",
    "\u201cWe will rebuild the bridge, and we will do it right,\u201d Mayor Ann Lee said at a news conference. She added that the work would cost about $12 million.",
    "",
    "Council member Raj Patel said the city had ignored warnings about the bridge for years. \u201cThis was not a surprise to anyone who drives across it,\u201d he told reporters.",
    "",
    "More than 300 residents signed a petition asking for a temporary footbridge, according to the Harbor City Gazette.",
  ].join("\n");

  function setStatus(msg, isError) {
    status.textContent = msg || "";
    status.classList.toggle("error", !!isError);
  }

  document.getElementById("example").addEventListener("click", () => {
    textArea.value = EXAMPLE;
    title.value = "";
    fileIn.value = "";
    textArea.focus();
  });

  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    const file = fileIn.files && fileIn.files[0];
    let body, headers = {};
    if (file) {
      if (maxBody && file.size > maxBody) {
        setStatus(`That file is ${file.size.toLocaleString()} bytes; the limit is ${maxBody.toLocaleString()}.`, true);
        return;
      }
      body = new FormData();
      body.append("file", file);
      if (title.value.trim()) body.append("title", title.value.trim());
    } else {
      const text = textArea.value;
      if (!text.trim()) { setStatus("Paste an article or choose a file first.", true); return; }
      const payload = { text };
      if (title.value.trim()) payload.title = title.value.trim();
      body = JSON.stringify(payload);
      headers["Content-Type"] = "application/json";
    }
    go.disabled = true;
    setStatus("Reading the article…");
    try {
      const resp = await fetch("/api/extract", { method: "POST", body, headers });
      let data = null;
      try { data = await resp.json(); } catch (_) { data = null; }
      if (!resp.ok) {
        setStatus((data && data.error) || `The server answered ${resp.status}.`, true);
        return;
      }
      result.hidden = false;
      Sayso.render(data);
      setStatus("");
      result.scrollIntoView({ block: "start", behavior: "smooth" });
    } catch (err) {
      setStatus("Could not reach the server: " + err.message, true);
    } finally {
      go.disabled = false;
    }
  });
})();
