import { createAll, initAll } from "./govuk-frontend.min.js";
import { ExitThisPageReplacingHistory } from "./exit-this-page.js";

initAll();
createAll(ExitThisPageReplacingHistory);
