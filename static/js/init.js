import { createAll, initAll } from "./govuk-frontend.min.js";
import { ExitThisPageReplacingHistory } from "./exit-this-page.js";
import { initSiteBanners } from "./site-banner.js";

initAll();
createAll(ExitThisPageReplacingHistory);
initSiteBanners();
