/* A stored article's page: fetch its text and report from the API and draw them. */
"use strict";

(async () => {
  const src = document.getElementById("article-src");
  const status = document.getElementById("status");
  const id = src.dataset.articleId;
  try {
    const resp = await fetch("/api/articles/" + encodeURIComponent(id));
    const data = await resp.json();
    if (!resp.ok) { status.textContent = data.error || `The server answered ${resp.status}.`; status.classList.add("error"); return; }
    document.getElementById("result").hidden = false;
    Sayso.render(data, { meta: null });
    status.textContent = "";
  } catch (err) {
    status.textContent = "Could not load the article: " + err.message;
    status.classList.add("error");
  }
})();
