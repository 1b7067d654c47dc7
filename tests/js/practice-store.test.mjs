// Unit tests of overrides/assets/javascripts/practice-store.js (run by tests/test_js_units.py).
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import test from "node:test";

const store = createRequire(import.meta.url)("../../overrides/assets/javascripts/practice-store.js");
const BOX_DAYS = [1, 2, 4, 8, 16];

test("calendar days: adding days crosses months, years and leap days", () => {
  assert.equal(store.addDays("2026-11-30", 1), "2026-12-01");
  assert.equal(store.addDays("2026-12-31", 16), "2027-01-16");
  assert.equal(store.addDays("2028-02-28", 1), "2028-02-29");
  assert.equal(store.daysBetween("2026-11-30", "2027-01-16"), 47);
  assert.equal(store.daysBetween("2026-12-02", "2026-11-30"), -2);
  assert.equal(store.today(new Date(2026, 10, 30, 23, 59)), "2026-11-30");
});

test("Leitner: 会了 climbs one box at a time up to the last, 不会 goes back to box 1", () => {
  let card;
  let day = "2026-11-30";
  const seen = [];
  for (let i = 0; i < 6; i++) {
    card = store.grade(card, true, day, BOX_DAYS);
    seen.push([card.box, store.daysBetween(day, card.due)]);
    day = card.due;
  }
  assert.deepEqual(seen, [[2, 2], [3, 4], [4, 8], [5, 16], [5, 16], [5, 16]]);
  card = store.grade(card, false, day, BOX_DAYS);
  assert.deepEqual([card.box, card.due, card.knew, card.reviews, card.lapses], [1, store.addDays(day, 1), false, 7, 1]);
});

test("a new question graded 不会 is due tomorrow; graded 会了, in two days", () => {
  assert.equal(store.grade(undefined, false, "2026-11-30", BOX_DAYS).due, "2026-12-01");
  assert.equal(store.grade(undefined, true, "2026-11-30", BOX_DAYS).due, "2026-12-02");
});

test("grading again on the same day replaces that day's grade", () => {
  const first = store.grade(undefined, true, "2026-11-30", BOX_DAYS); // box 2
  const second = store.grade(first, true, "2026-12-02", BOX_DAYS); // box 3
  const fixed = store.grade(second, false, "2026-12-02", BOX_DAYS); // a misclick corrected
  assert.deepEqual([fixed.box, fixed.reviews, fixed.lapses], [1, 2, 1]);
  const again = store.grade(fixed, true, "2026-12-02", BOX_DAYS);
  assert.deepEqual([again.box, again.due, again.reviews, again.lapses], [3, "2026-12-06", 2, 0]);
});

test("due ids: due on or before the day, the longest overdue first", () => {
  const cards = {
    b: { box: 1, due: "2026-12-01", last: "2026-11-30", reviews: 1, lapses: 1 },
    a: { box: 2, due: "2026-11-28", last: "2026-11-26", reviews: 1, lapses: 0 },
    c: { box: 3, due: "2026-12-05", last: "2026-12-01", reviews: 2, lapses: 0 },
    d: { box: 2, due: "2026-12-01", last: "2026-11-29", reviews: 1, lapses: 0 },
  };
  assert.deepEqual(store.dueIds({ cards }, "2026-12-01"), ["a", "b", "d"]);
  assert.deepEqual(store.dueIds({ cards }, "2026-11-27"), []);
});

test("export, parse and merge: the later grade of a question wins", () => {
  const mine = { cards: { q1: store.grade(undefined, true, "2026-11-30", BOX_DAYS) } };
  const text = store.serialize(mine, new Date("2026-11-30T12:00:00Z"));
  const parsed = store.parse(text);
  assert.deepEqual(parsed.cards, mine.cards);
  assert.equal(JSON.parse(text).exported, "2026-11-30T12:00:00.000Z");
  const theirs = {
    cards: {
      q1: store.grade(undefined, false, "2026-11-29", BOX_DAYS),
      q2: store.grade(undefined, false, "2026-11-29", BOX_DAYS),
    },
  };
  const merged = store.merge(parsed, theirs);
  assert.equal(merged.cards.q1.box, 2); // graded later here
  assert.equal(merged.cards.q2.box, 1); // only there
});

test("parse rejects what is not an exported progress file, in Chinese", () => {
  assert.throws(() => store.parse("{"), /不是有效的 JSON/);
  assert.throws(() => store.parse('{"cards": {}}'), /不是本站导出的进度文件/);
  assert.throws(
    () => store.parse('{"format": "kb-practice", "version": 1, "cards": {"q": {"box": 0}}}'),
    /1 条记录格式不对（例如 q）/,
  );
  assert.throws(() => store.parse('{"format": "kb-practice", "version": 9, "cards": {}}'), /更新版本/);
});

test("load and save survive a storage that refuses", () => {
  const broken = {
    getItem() {
      throw new Error("denied");
    },
    setItem() {
      throw new Error("quota");
    },
  };
  assert.deepEqual(store.load(broken).cards, {});
  assert.equal(store.save(broken, store.empty()), false);
  const memory = new Map();
  const storage = { getItem: (k) => memory.get(k) ?? null, setItem: (k, v) => memory.set(k, v), removeItem: (k) => memory.delete(k) };
  const progress = { ...store.empty(), cards: { q: store.grade(undefined, true, "2026-11-30", BOX_DAYS) } };
  assert.equal(store.save(storage, progress), true);
  assert.deepEqual(store.load(storage), progress);
  assert.deepEqual([...memory.keys()], ["kb.practice"]); // one key for the whole site
  store.clear(storage);
  assert.deepEqual(store.load(storage).cards, {});
});
