// Practice on every page: after an answer is revealed in self-test mode (reader.js), grade it
// 会了 / 不会; the header links to 复习 with the number of questions due today. Progress and the
// schedule: practice-store.js; the schedule's days and the 复习 URL: <meta name="kb-practice">
// (overrides/main.html). Nothing leaves the browser.
(() => {
  "use strict";
  const store = window.kbPractice;
  const meta = document.querySelector('meta[name="kb-practice"]');
  const boxDays = meta ? meta.content.split(",").map(Number) : [];
  const reviewUrl = meta ? new URL(meta.dataset.review, location.href).href : "";
  const ICON =
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 3a9 9 0 0 0-9 9H0l4 4 4-4H5a7 7 0 1 1 2.05 4.95l-1.41 1.41A9 9 0 1 0 12 3m-1 5v5l4.25 2.52.77-1.28-3.52-2.09V8z"/></svg>';

  const dateText = (day) => `${Number(day.slice(5, 7))} 月 ${Number(day.slice(8))} 日`;

  function dueCount() {
    return store.dueIds(store.load(localStorage), store.today()).length;
  }

  function updateBadge() {
    const link = document.querySelector(".kb-review-link");
    if (!link) return;
    const n = dueCount();
    const badge = link.querySelector(".kb-due-badge");
    badge.textContent = n ? String(n > 99 ? "99+" : n) : "";
    badge.hidden = !n;
    const label = n ? `复习：今天有 ${n} 道题到期` : "复习：今天没有到期的题";
    link.title = label;
    link.setAttribute("aria-label", label);
  }

  function ensureHeader() {
    const inner = document.querySelector(".md-header__inner");
    if (!inner || !reviewUrl || inner.querySelector(".kb-review-link")) return;
    const link = document.createElement("a");
    link.className = "md-header__button md-icon kb-review-link";
    link.href = reviewUrl;
    link.innerHTML = `${ICON}<span class="kb-due-badge" hidden></span>`;
    inner.insertBefore(link, inner.querySelector("label.md-header__button[for='__search']"));
    updateBadge();
  }

  /** The sentence under the grade buttons: the last grade and the next review. */
  function describe(card, justGraded) {
    if (!card) return "还没有打过分。";
    const when = card.due <= store.today() ? "今天到期" : `${dateText(card.due)}再复习`;
    return `${justGraded ? "已记录" : "上次"}：${card.knew ? "会了" : "不会"}，第 ${card.box} 盒，${when}。`;
  }

  function gradeBar(id, cards) {
    const bar = document.createElement("div");
    bar.className = "kb-grade";
    bar.dataset.question = id;
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "给这道题打分");
    const label = document.createElement("span");
    label.textContent = "自评：";
    const status = document.createElement("span");
    status.className = "kb-grade-status";
    status.setAttribute("role", "status");
    const back = document.createElement("a");
    back.className = "kb-grade-back";
    back.href = reviewUrl;
    back.hidden = true;
    const buttons = store.gradeButtons(id, boxDays, (card, saved) => {
      status.textContent = saved ? describe(card, true) : "浏览器不允许保存进度（可能是隐私模式）。";
      const due = dueCount();
      back.textContent = due ? `返回复习（还有 ${due} 道题到期）` : "返回复习";
      back.hidden = false;
      updateBadge();
    });
    status.textContent = describe(cards[id], false);
    bar.append(label, ...buttons, status, back);
    return bar;
  }

  function decorateQuestions() {
    if (!boxDays.length) return;
    const { cards } = store.load(localStorage); // read once for every question of the page
    for (const answer of document.querySelectorAll(".q-answer:not([data-kb-graded])")) {
      answer.dataset.kbGraded = "1";
      answer.after(gradeBar(answer.dataset.question, cards));
    }
  }

  function setup() {
    ensureHeader();
    decorateQuestions();
  }

  window.addEventListener("storage", (event) => event.key === store.KEY && updateBadge()); // other tabs
  window.addEventListener("pageshow", updateBadge); // back/forward cache
  if (typeof document$ !== "undefined") document$.subscribe(setup);
  else document.addEventListener("DOMContentLoaded", setup);
})();
