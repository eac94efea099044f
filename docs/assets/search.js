// Search over the facts with Pagefind (see generator/index.py for what the index holds).
// Each result is one fact, named with its kind, its speaker and its article; Pagefind's
// results are groups of facts, read in its order, a few at a time, until enough facts are
// listed. Nothing is fetched until the reader opens the search; every text from the index is
// put on the page with textContent, and the excerpts' <mark>s are rebuilt element by element.
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
  const filterBox = dialog.querySelector(".fs-search-filter-box");
  const chosenNote = dialog.querySelector(".fs-search-chosen");
  const selects = [...dialog.querySelectorAll("select[data-filter]")];
  const SHOWN = 20; // facts at first; "Show more" adds as many again
  const BATCH = 8; // groups of facts read at a time
  let limit = SHOWN;
  let pagefind = null;
  let run = 0;
  let current = null; // the search on screen: its groups, how many are read, its facts

  async function load() {
    if (!pagefind) {
      // A large site's index comes in parts (parts.json lists all but the first, which is the
      // bundle itself); Pagefind searches them as one and ranks their results together.
      const parts = fetch(new URL("parts.json", bundle))
        .then((response) => (response.ok ? response.json() : {}))
        .then((listed) => listed.parts || [], () => []);
      pagefind = import(new URL("pagefind.js", bundle).href).then(async (module) => {
        // A record holds several facts: do not favour short records for being short.
        const options = {
          baseUrl: siteRoot.pathname,
          excerptLength: 24,
          ranking: { pageLength: 0.2, termSaturation: 1.6 },
        };
        await module.options(options);
        await module.init();
        await Promise.all(
          (await parts).map((part) => module.mergeIndex(new URL(part, bundle).pathname, options)),
        );
        // The filter lists fill in when they arrive; a search does not wait for them.
        fetch(new URL("fact-counts.json", bundle))
          .then((response) => (response.ok ? response.json() : {}))
          .then(fillFilters, () => {});
        return module;
      });
    }
    return pagefind;
  }

  // The lists hold the facts each value has (Pagefind counts groups of facts, not facts).
  function fillFilters(counts) {
    for (const select of selects) {
      if (select.options.length > 1) continue;
      const values = counts[select.dataset.filter] || {};
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

  function wordsOf(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  // The facts that hold more of the query's words (as whole words: '436 million', not
  // 'millions') come first; Pagefind's order stands between facts that hold as many.
  function bestFirst(facts, query) {
    const words = wordsOf(query);
    if (!words.length) return facts;
    const score = (fact) => {
      const tokens = new Set(wordsOf(`${fact.title} ${fact.plain} ${fact.speaker}`));
      return words.filter((word) => tokens.has(word)).length;
    };
    return facts
      .map((fact, order) => ({ fact, order, score: score(fact) }))
      .sort((a, b) => b.score - a.score || a.order - b.order)
      .map((entry) => entry.fact);
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

  function marked(excerpt) {
    const parsed = new DOMParser().parseFromString(`<p>${excerpt}</p>`, "text/html").body;
    return [...parsed.querySelectorAll("mark")].map((mark) => mark.textContent);
  }

  function link(url, text, className) {
    const anchor = document.createElement("a");
    anchor.href = url;
    anchor.textContent = text;
    if (className) anchor.className = className;
    return anchor;
  }

  // The facts of one group (a Pagefind result): those its matching words are in, or, for a
  // search by filters alone, all of them.
  function factsOf(data, query) {
    const page = new URL("./", new URL(data.url, siteRoot));
    const filters = data.filters || {};
    const kind = (filters.kind || [""])[0];
    const speaker = (filters.speaker || [""])[0];
    const article = (filters.article || [""])[0];
    const subs = query
      ? data.sub_results || []
      : (data.anchors || [])
          .filter((anchor) => anchor.element === "h2")
          .map((anchor) => ({ title: anchor.text, anchor, excerpt: "" }));
    const facts = [];
    for (const sub of subs) {
      if (!sub.anchor || !sub.anchor.id) continue; // words outside any fact name no fact
      const href = sub.anchor.id === "top" ? page.href : `${page.href}#${encodeURIComponent(sub.anchor.id)}`;
      const excerpt = sub.excerpt || "";
      const plain = excerpt.replace(/<[^>]*>/g, "");
      facts.push({ href, title: sub.title, excerpt, plain, kind, speaker, article, page: page.href });
    }
    return facts;
  }

  // The excerpt is shown when it shows a matching word that the fact's own line does not.
  function excerptAddsWords(fact) {
    const seen = new Set(wordsOf(`${fact.title} ${fact.speaker}`));
    return marked(fact.excerpt).some((word) => wordsOf(word).some((w) => !seen.has(w)));
  }

  // The fact's own line, with the words Pagefind matched in it marked.
  function titleWithMarks(fact) {
    const found = new Set(marked(fact.excerpt).flatMap(wordsOf));
    const fragment = document.createDocumentFragment();
    for (const piece of fact.title.split(/([\p{L}\p{N}]+)/u)) {
      if (piece && found.has(piece.toLowerCase())) {
        const mark = document.createElement("mark");
        mark.textContent = piece;
        fragment.append(mark);
      } else if (piece) {
        fragment.append(document.createTextNode(piece));
      }
    }
    return fragment;
  }

  function factItem(fact) {
    const item = document.createElement("li");
    item.className = "fs-fact";
    const title = link(fact.href, "", "fs-fact-link");
    title.append(titleWithMarks(fact));
    item.append(title);
    if (fact.excerpt && excerptAddsWords(fact)) {
      const excerpt = document.createElement("span");
      excerpt.className = "fs-result-excerpt";
      excerpt.append(textWithMarks(fact.excerpt));
      item.append(excerpt);
    }
    const where = document.createElement("span");
    where.className = "fs-fact-where";
    const said = fact.speaker && (fact.kind === "Quote" || fact.kind === "Claim");
    where.append(document.createTextNode(said ? `${fact.kind} · ${fact.speaker}` : fact.kind));
    if (fact.article && fact.kind !== "Fact sheet") {
      where.append(document.createTextNode(" · in "));
      where.append(link(fact.page, fact.article));
    }
    item.append(where);
    return item;
  }

  // Read groups in Pagefind's order until `limit` facts are listed or none are left.
  async function fill(mine) {
    const state = current;
    while (state.facts.length < limit && state.read < state.results.length) {
      const batch = state.results.slice(state.read, state.read + BATCH);
      const datas = await Promise.all(batch.map((result) => result.data()));
      if (mine !== run) return false;
      state.read += batch.length;
      for (const data of datas) state.facts.push(...factsOf(data, state.query));
      state.facts = bestFirst(state.facts, state.query);
    }
    return true;
  }

  function draw() {
    const { facts, results, read } = current;
    const complete = read >= results.length && facts.length <= limit;
    const items = facts.slice(0, limit).map(factItem);
    if (!complete) {
      const more = document.createElement("li");
      more.className = "fs-search-more-row";
      const button = document.createElement("button");
      button.type = "button";
      button.className = "fs-search-more";
      button.textContent = "Show more results";
      button.addEventListener("click", showMore);
      more.append(button);
      items.push(more);
    }
    list.replaceChildren(...items);
    const shown = Math.min(limit, facts.length);
    status.textContent = !shown
      ? "No fact matches."
      : complete
        ? `${shown} fact${shown === 1 ? "" : "s"}`
        : `The first ${shown} facts; more below`;
  }

  async function showMore() {
    const mine = run;
    limit += SHOWN;
    status.textContent = "Searching…";
    if (await fill(mine)) draw();
  }

  async function search() {
    const mine = ++run;
    const query = normalise(input.value);
    const filters = chosenFilters();
    const chosen = Object.keys(filters).length;
    chosenNote.textContent = chosen ? ` (${chosen} chosen)` : "";
    if (!query && !chosen) {
      current = null;
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    status.textContent = "Searching…";
    const module = await load();
    const found = await module.search(query || null, { filters });
    if (mine !== run || !found) return;
    current = { query, results: found.results, read: 0, facts: [] };
    if (await fill(mine)) draw();
  }

  let timer = 0;
  function later() {
    clearTimeout(timer);
    status.textContent = "Searching…";
    timer = setTimeout(search, 100);
  }

  // Wide screens show the filters; a phone folds them, so that results start on its screen.
  const wide = window.matchMedia("(min-width: 45em)");
  let folded = false;
  function open() {
    if (!folded) {
      filterBox.open = wide.matches;
      folded = true;
    }
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
