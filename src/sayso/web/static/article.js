/* A stored article's page: its text and report come with the page (data-article), drawn at once. */
"use strict";

(() => {
  const src = document.getElementById("article-src");
  const result = document.getElementById("result");
  try {
    const data = JSON.parse(src.dataset.article);
    result.hidden = false;
    Sayso.render(data);
  } catch (err) {
    const p = document.createElement("p");
    p.className = "status error";
    p.textContent = "Could not draw the article: " + err.message;
    result.before(p);
  }
})();
