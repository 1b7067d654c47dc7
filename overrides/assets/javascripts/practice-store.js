// The reader's practice progress and the review schedule, pure: no DOM, nothing sent anywhere.
// Progress lives in localStorage under one key for the whole site, so every version published by
// mike (same origin, other paths) reads and writes the same progress. Tested in node
// (tests/js/practice-store.test.mjs) and through the pages (tests/browser/test_practice.py).
//
// Schedule (Leitner boxes; the 复习 page writes it out): a question graded for the first time is in
// box 1; 会了 moves it up one box (at most the last), 不会 back to box 1; it is due again
// boxDays[box - 1] days after the grade (boxDays: mkdocs.yml extra.practice.box_days). Grading the
// same question again on the same day replaces that day's grade. Days are the reader's calendar days.
((root) => {
  "use strict";
  const KEY = "kb.practice";
  const FORMAT = "kb-practice";
  const VERSION = 1;
  const DATE = /^\d{4}-\d{2}-\d{2}$/;

  /** The local calendar day of `now` as YYYY-MM-DD. */
  function today(now = new Date()) {
    const pad = (n) => String(n).padStart(2, "0");
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  }

  /** YYYY-MM-DD `days` calendar days after `day` (months, years and daylight saving handled by Date). */
  function addDays(day, days) {
    const [y, m, d] = day.split("-").map(Number);
    return today(new Date(y, m - 1, d + days));
  }

  /** Whole days from `from` to `to` (negative if `to` is earlier). */
  function daysBetween(from, to) {
    const utc = (day) => Date.UTC(...day.split("-").map((n, i) => Number(n) - (i === 1 ? 1 : 0)));
    return Math.round((utc(to) - utc(from)) / 86400000);
  }

  const empty = () => ({ format: FORMAT, version: VERSION, cards: {} });

  /**
   * A question's card after a grade. `card`: its card or undefined (never graded); `knew`: true for
   * 会了, false for 不会; `day`: YYYY-MM-DD; `boxDays`: days until due, per box.
   * A card: {box, due, last, knew, reviews, lapses, before}; `before` is the card as it was before the
   * first grade of day `last`, so a second grade that day starts again from it.
   */
  function grade(card, knew, day, boxDays) {
    const base = card && card.last === day ? card.before : card;
    const box = knew ? Math.min((base ? base.box : 1) + 1, boxDays.length) : 1;
    return {
      box,
      due: addDays(day, boxDays[box - 1]),
      last: day,
      knew,
      reviews: (base ? base.reviews : 0) + 1,
      lapses: (base ? base.lapses : 0) + (knew ? 0 : 1),
      before: base ? { box: base.box, due: base.due, last: base.last, reviews: base.reviews, lapses: base.lapses } : null,
    };
  }

  const isDue = (card, day) => card.due <= day;

  /** Ids of the cards due on `day`, the longest overdue first. */
  function dueIds(progress, day) {
    return Object.entries(progress.cards)
      .filter(([, card]) => isDue(card, day))
      .sort(([a, x], [b, y]) => (x.due < y.due ? -1 : x.due > y.due ? 1 : a < b ? -1 : 1))
      .map(([id]) => id);
  }

  function validCard(card) {
    return (
      card && typeof card === "object" && Number.isInteger(card.box) && card.box >= 1 &&
      DATE.test(card.due) && DATE.test(card.last) && Number.isInteger(card.reviews) && Number.isInteger(card.lapses)
    );
  }

  /** Progress from JSON text (storage or an exported file). Throws an Error with a Chinese message. */
  function parse(text) {
    let value;
    try {
      value = JSON.parse(text);
    } catch {
      throw new Error("文件不是有效的 JSON。");
    }
    if (!value || value.format !== FORMAT || typeof value.cards !== "object" || value.cards === null) {
      throw new Error("这不是本站导出的进度文件。");
    }
    if (value.version > VERSION) throw new Error("进度文件来自更新版本的站点，请在新版本中导入。");
    const bad = Object.entries(value.cards).filter(([, card]) => !validCard(card));
    if (bad.length) throw new Error(`进度文件中有 ${bad.length} 条记录格式不对（例如 ${bad[0][0]}）。`);
    return { format: FORMAT, version: VERSION, cards: value.cards };
  }

  /** `current` with `incoming` merged in: per question, the card graded later wins (ties: incoming). */
  function merge(current, incoming) {
    const cards = { ...current.cards };
    for (const [id, card] of Object.entries(incoming.cards)) {
      if (!cards[id] || cards[id].last <= card.last) cards[id] = card;
    }
    return { ...empty(), cards };
  }

  /** The text of an exported progress file. */
  const serialize = (progress, now = new Date()) =>
    JSON.stringify({ ...empty(), exported: now.toISOString(), cards: progress.cards }, null, 1);

  /** The progress in `storage` (localStorage), empty if there is none or it is unreadable. */
  function load(storage) {
    try {
      const text = storage.getItem(KEY);
      return text ? parse(text) : empty();
    } catch {
      return empty();
    }
  }

  /** Write `progress` to `storage`; false if the browser refused (private mode, quota). */
  function save(storage, progress) {
    try {
      storage.setItem(KEY, JSON.stringify(progress));
      return true;
    } catch {
      return false;
    }
  }

  function clear(storage) {
    try {
      storage.removeItem(KEY);
    } catch {
      // nothing stored, nothing to clear
    }
  }

  /** The 会了 / 不会 buttons for question `id` (in the browser: they use document and localStorage).
      A click grades the card on the Leitner schedule `boxDays` (grade), saves the progress and calls
      onGraded(card, saved, text): the graded card, whether the browser kept it, the button's text. */
  function gradeButtons(id, boxDays, onGraded) {
    return [
      ["会了", true],
      ["不会", false],
    ].map(([text, knew]) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = `md-button kb-grade-${knew ? "yes" : "no"}`;
      button.textContent = text;
      button.addEventListener("click", () => {
        const progress = load(localStorage);
        progress.cards[id] = grade(progress.cards[id], knew, today(), boxDays);
        onGraded(progress.cards[id], save(localStorage, progress), text);
      });
      return button;
    });
  }

  const api = {
    KEY, today, addDays, daysBetween, empty, grade, isDue, dueIds, parse, merge, serialize, load, save, clear,
    gradeButtons,
  };
  root.kbPractice = api;
  if (typeof module === "object" && module.exports) module.exports = api;
})(typeof globalThis !== "undefined" ? globalThis : window);
