import { initAll as govukInitAll } from "../safeguard/govuk-frontend.min.js";
import { initAll as mojInitAll } from "../safeguard/moj-frontend.min.js";

govukInitAll();
mojInitAll();
// Content that htmx swaps in gets its GOV.UK components too (an error summary then takes focus,
// as on a full page). htmx.onLoad passes the new element, not the one it replaced.
if (window.htmx) {
  window.htmx.onLoad((element) => {
    if (element !== document.body) {
      govukInitAll({ scope: element });
    }
  });
}
