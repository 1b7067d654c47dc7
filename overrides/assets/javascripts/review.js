// The 复习 page (hooks/practice_pages.py): shows the questions due today, the longest overdue first,
// filtered by topic, difficulty and frequency; the reader's progress with export, import and clear.
// Progress and schedule: practice-store.js. Loaded only on that page (overrides/main.html).
(() => {
  "use strict";
  const store = window.kbPractice;
  const SELF_TEST = "kb.selfTest"; // reader.js: answers hidden until revealed

  function setupList(root) {
    const list = root.querySelector(".kb-review-list");
    const items = new Map([...list.querySelectorAll("li.kb-q")].map((li) => [li.dataset.id, li]));
    const filters = ["topic", "level", "freq"].map((name) => document.getElementById(`kb-review-${name}`));
    const count = document.getElementById("kb-review-count");
    const empty = root.querySelector(".kb-review-empty");

    function render() {
      const progress = store.load(localStorage);
      const day = store.today();
      const due = store.dueIds(progress, day).filter((id) => items.has(id));
      for (const li of items.values()) li.hidden = true;
      let shown = 0;
      for (const id of due) {
        const li = items.get(id);
        const card = progress.cards[id];
        const [topic, level, freq] = filters.map((f) => f.value);
        const ok =
          (!topic || li.dataset.topic === topic) &&
          (!level || li.dataset.level === level) &&
          (!freq || (li.dataset.freq || "none") === freq);
        li.hidden = !ok;
        shown += ok;
        const late = store.daysBetween(card.due, day);
        let note = li.querySelector(".kb-q-due");
        if (!note) {
          note = document.createElement("span");
          note.className = "kb-q-due";
          li.append(note);
        }
        note.textContent = `第 ${card.box} 盒 · ${late > 0 ? `逾期 ${late} 天` : "今天到期"}`;
        list.append(li); // in due order
      }
      empty.hidden = shown > 0;
      empty.textContent = due.length ? "没有符合筛选条件的到期题。" : "今天没有到期的题。";
      count.textContent = due.length ? `今天到期 ${due.length} 道题，显示 ${shown} 道` : "";
    }

    for (const f of filters) f.addEventListener("change", render);
    list.addEventListener("click", (event) => {
      if (event.target.closest("a")) localStorage.setItem(SELF_TEST, "1"); // review with answers hidden
    });
    render();
    return { render, known: items };
  }

  function setupProgress(root, list) {
    const stats = root.querySelector(".kb-progress-stats");
    const message = root.querySelector(".kb-progress-message");
    const boxes = document.querySelector('meta[name="kb-practice"]').content.split(",").length;

    function render() {
      const progress = store.load(localStorage);
      const ids = Object.keys(progress.cards);
      if (!ids.length) {
        stats.textContent = "还没有练习记录。";
        return;
      }
      const perBox = Array.from({ length: boxes }, (_, i) => ids.filter((id) => progress.cards[id].box === i + 1).length);
      const elsewhere = ids.filter((id) => !list.known.has(id)).length;
      stats.textContent =
        `已练习 ${ids.length} 道题，今天到期 ${store.dueIds(progress, store.today()).length} 道；` +
        perBox.map((n, i) => `第 ${i + 1} 盒 ${n} 道`).join("、") +
        "。" + (elsewhere ? `其中 ${elsewhere} 道题不在这个版本的站点里（来自其他版本）。` : "");
    }
    function refresh(text) {
      message.textContent = text;
      render();
      list.render();
    }

    root.querySelector(".kb-export").addEventListener("click", () => {
      const progress = store.load(localStorage);
      const blob = new Blob([store.serialize(progress)], { type: "application/json" });
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = `ml-nlp-interview-progress-${store.today()}.json`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
      refresh(`已导出 ${Object.keys(progress.cards).length} 道题的记录。`);
    });
    root.querySelector(".kb-import-file").addEventListener("change", async (event) => {
      const file = event.target.files[0];
      event.target.value = "";
      if (!file) return;
      try {
        const incoming = store.parse(await file.text());
        const merged = store.merge(store.load(localStorage), incoming);
        if (!store.save(localStorage, merged)) throw new Error("浏览器不允许保存进度（可能是隐私模式）。");
        refresh(`已导入 ${Object.keys(incoming.cards).length} 道题的记录。`);
      } catch (error) {
        refresh(`导入失败：${error.message}`);
      }
    });
    root.querySelector(".kb-clear").addEventListener("click", () => {
      const n = Object.keys(store.load(localStorage).cards).length;
      if (!n) return refresh("没有可以清除的进度。");
      if (!window.confirm(`确定清除全部 ${n} 道题的练习进度吗？清除后不能恢复，可以先导出备份。`)) return;
      store.clear(localStorage);
      refresh("已清除练习进度。");
    });
    window.addEventListener("storage", (event) => event.key === store.KEY && refresh(""));
    render();
  }

  function setup() {
    const review = document.querySelector(".kb-review:not([data-kb-ready])");
    const progress = document.querySelector(".kb-progress");
    if (!review || !progress) return;
    review.dataset.kbReady = "1";
    setupProgress(progress, setupList(review));
  }

  if (typeof document$ !== "undefined") document$.subscribe(setup);
  else document.addEventListener("DOMContentLoaded", setup);
})();
