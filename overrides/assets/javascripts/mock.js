// The 模拟面试 page (hooks/practice_pages.py): N random questions from the chosen topics, one at a
// time, answers hidden, each timed against a limit; then a summary with the time spent, links to the
// answers and a grade per question (practice-store.js). Loaded only on that page (overrides/main.html).
(() => {
  "use strict";
  const store = window.kbPractice;

  const clock = (ms) => {
    const s = Math.floor(ms / 1000);
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  };

  /** `n` items drawn at random, without repeats (Fisher–Yates on a copy). */
  function draw(items, n) {
    const pool = [...items];
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    return pool.slice(0, n);
  }

  function setup() {
    const root = document.querySelector(".kb-mock:not([data-kb-ready])");
    if (!root) return;
    root.dataset.kbReady = "1";
    const form = root.querySelector(".kb-mock-setup");
    const run = root.querySelector(".kb-mock-run");
    const summary = root.querySelector(".kb-mock-summary");
    const error = root.querySelector(".kb-mock-error");
    const pool = [...root.querySelectorAll(".kb-question-pool li.kb-q")].map((li) => ({
      id: li.dataset.id,
      topic: li.dataset.topic,
      level: li.dataset.level,
      freq: li.dataset.freq,
      title: li.querySelector("a").textContent,
      href: li.querySelector("a").href,
    }));
    const boxDays = document.querySelector('meta[name="kb-practice"]').content.split(",").map(Number);
    let session = null;
    let ticker = null;

    function show(section) {
      for (const s of [form, run, summary]) s.hidden = s !== section;
    }

    function tick() {
      const elapsed = Date.now() - session.started;
      const over = elapsed > session.limit;
      run.querySelector(".kb-mock-timer").textContent = clock(elapsed);
      run.querySelector(".kb-mock-limit").textContent = over
        ? `（已超时，限时 ${clock(session.limit)}）`
        : `/ 限时 ${clock(session.limit)}`;
      run.classList.toggle("kb-overtime", over);
    }

    function ask() {
      const q = session.questions[session.index];
      run.querySelector(".kb-mock-progress").textContent = `第 ${session.index + 1} / ${session.questions.length} 题`;
      run.querySelector(".kb-mock-question").textContent = q.title;
      run.querySelector(".kb-mock-meta").textContent = [q.topic, q.level, q.freq].filter(Boolean).join(" · ");
      run.querySelector(".kb-mock-next").textContent =
        session.index + 1 < session.questions.length ? "下一题" : "完成";
      session.started = Date.now();
      tick();
      run.querySelector(".kb-mock-question").focus();
    }

    function record() {
      session.times.push(Date.now() - session.started);
    }

    function gradeButtons(id) {
      const cell = document.createElement("span");
      cell.className = "kb-mock-grade";
      cell.setAttribute("role", "group");
      cell.setAttribute("aria-label", "自评");
      const status = document.createElement("span");
      status.className = "kb-grade-status";
      status.setAttribute("role", "status");
      const record = (_card, saved, text) => {
        status.textContent = saved ? `已记录：${text}` : "无法保存";
      };
      cell.append(...store.gradeButtons(id, boxDays, record), status);
      return cell;
    }

    function finish() {
      clearInterval(ticker);
      const list = summary.querySelector(".kb-mock-results");
      list.replaceChildren();
      session.times.forEach((ms, i) => {
        const q = session.questions[i];
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.className = "kb-mock-title";
        link.href = q.href;
        link.textContent = q.title;
        const time = document.createElement("span");
        time.className = "kb-mock-time";
        time.textContent = `用时 ${clock(ms)}${ms > session.limit ? "（超时）" : ""}`;
        item.append(link, time, gradeButtons(q.id));
        list.append(item);
      });
      const total = session.times.reduce((a, b) => a + b, 0);
      const skipped = session.questions.length - session.times.length;
      summary.querySelector(".kb-mock-total").textContent =
        `答了 ${session.times.length} 道题，共用时 ${clock(total)}` +
        (skipped ? `，提前结束，另有 ${skipped} 道没有答` : "") +
        "。点题目查看答案，对照后给自己打分，分数计入复习进度。";
      show(summary);
      summary.querySelector("h2").focus();
    }

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const topics = new Set([...form.querySelectorAll('input[name="topic"]:checked')].map((i) => i.value));
      const count = form.elements.count.valueAsNumber;
      const minutes = form.elements.minutes.valueAsNumber;
      const candidates = pool.filter((q) => topics.has(q.topic));
      if (!candidates.length) return void (error.textContent = "请至少选择一个主题。");
      if (!(Number.isInteger(count) && count >= 1)) return void (error.textContent = "题数需要是正整数。");
      if (!(Number.isInteger(minutes) && minutes >= 1)) return void (error.textContent = "每题限时需要是正整数分钟。");
      error.textContent = "";
      session = { questions: draw(candidates, count), index: 0, times: [], limit: minutes * 60000, started: 0 };
      show(run);
      ask();
      clearInterval(ticker);
      ticker = setInterval(tick, 1000);
    });
    run.querySelector(".kb-mock-next").addEventListener("click", () => {
      record();
      session.index += 1;
      if (session.index < session.questions.length) ask();
      else finish();
    });
    run.querySelector(".kb-mock-stop").addEventListener("click", () => {
      record();
      finish();
    });
    summary.querySelector(".kb-mock-again").addEventListener("click", () => {
      show(form);
      form.querySelector("button[type=submit]").focus();
    });
  }

  if (typeof document$ !== "undefined") document$.subscribe(setup);
  else document.addEventListener("DOMContentLoaded", setup);
})();
