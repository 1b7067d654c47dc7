// Reader features built on the question markup of hooks/questions.py:
// self-test mode (answers hidden until revealed, remembered across pages), "随机一题" (whole site
// or the current topic) and the filters of the question index. Runs again after every instant
// navigation through Material's document$.
(() => {
  "use strict";
  const STORE = "kb.selfTest";
  const ICONS = {
    test: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 9a3 3 0 0 1 3 3 3 3 0 0 1-3 3 3 3 0 0 1-3-3 3 3 0 0 1 3-3m0-4.5c5 0 9.27 3.11 11 7.5-1.73 4.39-6 7.5-11 7.5S2.73 16.39 1 12c1.73-4.39 6-7.5 11-7.5M3.18 12a9.821 9.821 0 0 0 17.64 0 9.821 9.821 0 0 0-17.64 0"/></svg>',
    dice: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M5 3h14a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2m2 2a2 2 0 0 0-2 2 2 2 0 0 0 2 2 2 2 0 0 0 2-2 2 2 0 0 0-2-2m10 10a2 2 0 0 0-2 2 2 2 0 0 0 2 2 2 2 0 0 0 2-2 2 2 0 0 0-2-2m0-10a2 2 0 0 0-2 2 2 2 0 0 0 2 2 2 2 0 0 0 2-2 2 2 0 0 0-2-2m-5 5a2 2 0 0 0-2 2 2 2 0 0 0 2 2 2 2 0 0 0 2-2 2 2 0 0 0-2-2m-5 5a2 2 0 0 0-2 2 2 2 0 0 0 2 2 2 2 0 0 0 2-2 2 2 0 0 0-2-2"/></svg>',
  };
  let questions;

  const selfTest = () => localStorage.getItem(STORE) === "1";
  const siteRoot = () => (typeof __md_scope !== "undefined" ? __md_scope : new URL(".", location));
  const loadQuestions = () =>
    (questions ??= fetch(new URL("assets/questions.json", siteRoot())).then((r) => r.json()));

  function headerButton(cls, title, icon, onClick) {
    const button = document.createElement("button");
    button.className = `md-header__button md-icon ${cls}`;
    button.type = "button";
    button.title = title;
    button.setAttribute("aria-label", title);
    button.innerHTML = icon;
    button.addEventListener("click", onClick);
    return button;
  }

  function applySelfTest() {
    const on = selfTest();
    document.body.classList.toggle("kb-self-test", on);
    const toggle = document.querySelector(".kb-self-test-toggle");
    if (toggle) {
      toggle.setAttribute("aria-pressed", String(on));
      toggle.title = on ? "退出自测模式（显示全部答案）" : "自测模式：隐藏答案";
    }
  }

  async function goRandom(topicOnly) {
    const all = await loadQuestions();
    const here = location.pathname.replace(/index\.html$/, "");
    const current = all.find((q) => here.endsWith(q.url.split("#")[0]));
    const pool = topicOnly && current ? all.filter((q) => q.topic === current.topic) : all;
    const pick = pool[Math.floor(Math.random() * pool.length)];
    location.href = new URL(pick.url, siteRoot()).href;
  }

  function ensureHeader() {
    const inner = document.querySelector(".md-header__inner");
    if (!inner || inner.querySelector(".kb-self-test-toggle")) return;
    const anchor = inner.querySelector("label.md-header__button[for='__search']");
    const toggle = headerButton("kb-self-test-toggle", "自测模式：隐藏答案", ICONS.test, () => {
      localStorage.setItem(STORE, selfTest() ? "0" : "1");
      applySelfTest();
    });
    const random = headerButton("kb-random", "随机一题", ICONS.dice, () => goRandom(false));
    inner.insertBefore(toggle, anchor);
    inner.insertBefore(random, anchor);
  }

  function decorateQuestions() {
    for (const answer of document.querySelectorAll(".q-answer:not([data-kb-ready])")) {
      answer.dataset.kbReady = "1";
      const reveal = document.createElement("button");
      reveal.type = "button";
      reveal.className = "kb-reveal md-button";
      reveal.textContent = "显示答案";
      reveal.setAttribute("aria-expanded", "false");
      reveal.addEventListener("click", () => {
        const shown = answer.classList.toggle("kb-revealed");
        reveal.textContent = shown ? "隐藏答案" : "显示答案";
        reveal.setAttribute("aria-expanded", String(shown));
      });
      answer.before(reveal);
    }
    const topic = document.querySelector(".kb-random-topic:not([data-kb-ready])");  // from hooks/question_bank.py
    if (topic) {
      topic.dataset.kbReady = "1";
      topic.addEventListener("click", () => goRandom(true));
    }
  }

  function setupIndexFilters() {
    const tag = document.getElementById("q-filter-tag");
    const level = document.getElementById("q-filter-level");
    if (!tag || !level || tag.dataset.kbReady) return;
    tag.dataset.kbReady = "1";
    const update = () => {
      let shown = 0;
      for (const item of document.querySelectorAll("ul.q-index li")) {
        const ok =
          (!tag.value || item.dataset.tags.split("|").includes(tag.value)) &&
          (!level.value || item.dataset.level === level.value);
        item.hidden = !ok;
        shown += ok;
      }
      for (const list of document.querySelectorAll("ul.q-index")) {
        const empty = !list.querySelector("li:not([hidden])");
        list.hidden = empty;
        if (list.previousElementSibling?.tagName === "H2") list.previousElementSibling.hidden = empty;
      }
      document.getElementById("q-filter-count").textContent = `显示 ${shown} 道题`;
    };
    tag.addEventListener("change", update);
    level.addEventListener("change", update);
    update();
  }

  function setup() {
    ensureHeader();
    decorateQuestions();
    setupIndexFilters();
    applySelfTest();
  }

  if (typeof document$ !== "undefined") document$.subscribe(setup);
  else document.addEventListener("DOMContentLoaded", setup);
})();
