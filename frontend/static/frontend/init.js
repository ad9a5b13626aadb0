import { initAll as govukInitAll } from "../safeguard/govuk-frontend.min.js";
import { initAll as mojInitAll } from "../safeguard/moj-frontend.min.js";

govukInitAll();
mojInitAll();
// Content that htmx swaps in gets its GOV.UK components too (an error summary then takes focus,
// as on a full page). htmx.onLoad passes the new element, not the one it replaced.
if (window.htmx) {
  // One banner at a time: an htmx answer brings the banner about what was just done, so those
  // of earlier actions (in other sections, or the page's own) go before it is swapped in,
  // instead of piling up down the page.
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    if (!event.detail.shouldSwap) {
      return;
    }
    const target = event.detail.target;
    document.querySelectorAll(".govuk-notification-banner").forEach((banner) => {
      if (!target.contains(banner)) {
        banner.remove();
      }
    });
  });
  window.htmx.onLoad((element) => {
    if (element !== document.body) {
      govukInitAll({ scope: element });
    }
  });
}
