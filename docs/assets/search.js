// Search over the facts with Pagefind (see generator/index.py for what the index holds).
// Nothing is fetched until the reader opens the search; every text from the index is put on
// the page with textContent, and the excerpts' <mark>s are rebuilt element by element.
(() => {
  "use strict";
  const root = document.querySelector("[data-fs-search]");
  if (!root) return;
  const siteRoot = new URL(root.dataset.root, document.baseURI);
  const bundle = new URL("sheets/pagefind/", siteRoot);
  const dialog = root.querySelector("dialog");
  const input = dialog.querySelector("input[type=search]");
  const list = dialog.querySelector(".fs-results");
  const status = dialog.querySelector(".fs-search-status");
  const selects = [...dialog.querySelectorAll("select[data-filter]")];
  const SHOWN = 10; // results at first; "Show more" adds as many again
  let limit = SHOWN;
  const FACTS_SHOWN = 5;
  let pagefind = null;
  let run = 0;

  async function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind.js", bundle).href).then(async (module) => {
        // A record holds several facts: do not favour short records for being short.
        await module.options({
          baseUrl: siteRoot.pathname,
          excerptLength: 24,
          ranking: { pageLength: 0.2, termSaturation: 1.6 },
        });
        await module.init();
        // The filter lists fill in when they arrive; a search does not wait for them.
        module.filters().then(fillFilters);
        return module;
      });
    }
    return pagefind;
  }

  function fillFilters(filters) {
    for (const select of selects) {
      const values = filters[select.dataset.filter] || {};
      for (const [value, count] of Object.entries(values).sort((a, b) => a[0].localeCompare(b[0]))) {
        const option = document.createElement("option");
        option.value = value;
        option.textContent = `${value} (${count})`;
        select.append(option);
      }
    }
  }

  // "$436" and "€2.5 billion" are found as numbers: the index keeps digits, not signs.
  function normalise(query) {
    return query.replace(/[$€£¥]/g, " ").replace(/\s+/g, " ").trim();
  }

  // Within a record, the facts that hold every word of the query (as whole words) come first.
  function bestFirst(subs, query) {
    const words = query.toLowerCase().split(/[\s,]+/).filter(Boolean);
    if (!words.length) return subs;
    const score = (sub) => {
      const text = `${sub.title} ${sub.excerpt || ""}`.toLowerCase().replace(/<[^>]*>/g, " ");
      const tokens = new Set(text.split(/[^\p{L}\p{N}]+/u));
      return words.filter((word) => tokens.has(word) || text.includes(` ${word} `)).length;
    };
    return subs
      .map((sub, order) => ({ sub, order, score: score(sub) }))
      .sort((a, b) => b.score - a.score || a.order - b.order)
      .map((entry) => entry.sub);
  }

  function chosenFilters() {
    const chosen = {};
    for (const select of selects) if (select.value) chosen[select.dataset.filter] = select.value;
    return chosen;
  }

  function textWithMarks(excerpt) {
    const fragment = document.createDocumentFragment();
    const parsed = new DOMParser().parseFromString(`<p>${excerpt}</p>`, "text/html").body;
    for (const node of parsed.firstChild ? parsed.firstChild.childNodes : []) {
      if (node.nodeType === Node.ELEMENT_NODE && node.nodeName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = node.textContent;
        fragment.append(mark);
      } else {
        fragment.append(document.createTextNode(node.textContent));
      }
    }
    return fragment;
  }

  function link(url, text) {
    const anchor = document.createElement("a");
    anchor.href = url;
    anchor.textContent = text;
    return anchor;
  }

  async function search() {
    const mine = ++run;
    const query = normalise(input.value);
    const filters = chosenFilters();
    if (!query && !Object.keys(filters).length) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    status.textContent = "Searching…";
    const module = await load();
    const found = await module.search(query || null, { filters });
    if (mine !== run || !found) return;
    const shown = await Promise.all(found.results.slice(0, limit).map((result) => result.data()));
    if (mine !== run) return;
    const items = shown.map((data) => {
      const page = new URL(data.meta.url || "", siteRoot);
      const item = document.createElement("li");
      const heading = document.createElement("p");
      heading.className = "fs-result-title";
      heading.append(link(page.href, data.meta.title || page.pathname));
      item.append(heading);
      const facts = document.createElement("ul");
      // A search by filters alone has no matching words: list the record's facts.
      const subs = query
        ? data.sub_results || []
        : (data.anchors || [])
            .filter((anchor) => anchor.element === "h2")
            .map((anchor) => ({ title: anchor.text, anchor, excerpt: "" }));
      for (const sub of bestFirst(subs, query).slice(0, query ? FACTS_SHOWN : 50)) {
        if (!sub.anchor || !sub.anchor.id) continue;
        const entry = document.createElement("li");
        const target = sub.anchor.id === "top" ? page.href : `${page.href}#${encodeURIComponent(sub.anchor.id)}`;
        entry.append(link(target, sub.title));
        const excerpt = document.createElement("span");
        excerpt.className = "fs-result-excerpt";
        excerpt.append(textWithMarks(sub.excerpt || ""));
        entry.append(excerpt);
        facts.append(entry);
      }
      if (facts.childElementCount) item.append(facts);
      return item;
    });
    const count = found.results.length;
    if (count > limit) {
      const more = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "fs-search-more";
      button.textContent = `Show ${Math.min(SHOWN, count - limit)} more`;
      button.addEventListener("click", () => {
        limit += SHOWN;
        search();
      });
      more.append(button);
      items.push(more);
    }
    list.replaceChildren(...items);
    status.textContent = count
      ? `${count} result${count === 1 ? "" : "s"}${count > limit ? `, the first ${limit} shown` : ""}`
      : "No fact matches.";
  }

  let timer = 0;
  function later() {
    clearTimeout(timer);
    status.textContent = "Searching…";
    timer = setTimeout(search, 100);
  }

  function open() {
    if (!dialog.open) dialog.showModal();
    input.focus();
    input.select();
    load();
  }

  root.querySelector(".fs-search-open").addEventListener("click", open);
  input.addEventListener("input", () => {
    limit = SHOWN;
    later();
  });
  for (const select of selects)
    select.addEventListener("change", () => {
      limit = SHOWN;
      search();
    });
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) dialog.close(); // a click on the backdrop
  });
  list.addEventListener("click", (event) => {
    if (event.target.closest("a")) dialog.close();
  });
  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest("input, textarea, select, [contenteditable]");
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      open();
    }
  });
})();
