// A link to a heading (page#id) must land on the heading. Long pages lay out the blocks far from the
// screen only when they come near it (content-visibility in site.css), so right after the browser
// scrolls to the heading, the blocks just above it grow to their real height and push it down by
// hundreds of pixels. Until the page settles, or the reader scrolls, taps or types, every change of
// the article's height puts the heading back where the browser put it (Material's scroll margin
// for :target keeps it clear of the header). On load, after instant navigation, and on hashchange.
(() => {
  "use strict";
  const SETTLE_MS = 5000;
  const READER_INPUT = ["wheel", "touchstart", "pointerdown", "keydown"];

  let release = () => {};

  const hold = () => {
    release();
    const id = decodeURIComponent(location.hash.slice(1));
    const target = id && document.getElementById(id);
    const article = document.querySelector("article");
    if (!target || !article) return;

    const realign = () => target.scrollIntoView({ block: "start", behavior: "instant" });
    const observer = new ResizeObserver(realign);
    observer.observe(article);
    const timer = setTimeout(() => release(), SETTLE_MS);
    release = () => {
      observer.disconnect();
      clearTimeout(timer);
      for (const type of READER_INPUT) removeEventListener(type, release, true);
      release = () => {};
    };
    for (const type of READER_INPUT) addEventListener(type, release, { capture: true, passive: true });
  };

  addEventListener("hashchange", hold);
  if (typeof document$ !== "undefined") document$.subscribe(hold);
  else hold();
})();
