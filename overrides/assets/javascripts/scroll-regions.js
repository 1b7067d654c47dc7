// Wide formulas, tables and notebook cells scroll sideways on phones. A keyboard can only scroll a
// region that takes focus (WCAG 2.1.1), so each one that overflows gets tabindex="0". Checked when
// the region comes on screen, and so is laid out (see content-visibility in site.css): long pages
// do no extra layout at load. Material does this for code blocks too, but only on devices with
// hover and, mounting them lazily, misses some that content-visibility lays out late. Runs again
// after every instant navigation, should that feature be turned on (see mkdocs.yml).
(() => {
  "use strict";
  const REGIONS =
    ".md-typeset :is(pre > code, div.arithmatex, .md-typeset__scrollwrap, .highlight-ipynb, .jp-OutputArea-output)";

  const observer = new IntersectionObserver(
    (entries) => {
      for (const { target, isIntersecting } of entries) {
        if (!isIntersecting) continue;
        if (target.scrollWidth > target.clientWidth) target.setAttribute("tabindex", "0");
        else target.removeAttribute("tabindex");
      }
    },
  );

  const setup = () => {
    observer.disconnect();
    for (const region of document.querySelectorAll(REGIONS)) observer.observe(region);
  };
  if (typeof document$ !== "undefined") document$.subscribe(setup);
  else setup();
})();
