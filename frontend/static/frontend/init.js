import { initAll as govukInitAll } from "../safeguard/govuk-frontend.min.js";
import { initAll as mojInitAll } from "../safeguard/moj-frontend.min.js";

govukInitAll();
mojInitAll();
// Components swapped in by htmx are initialised too.
document.body.addEventListener("htmx:afterSwap", (event) => {
  govukInitAll({ scope: event.detail.target });
});
