import { ExitThisPage } from "./govuk-frontend.min.js";

// GOV.UK Frontend's Exit this page, except that leaving replaces the page in the browser's
// history (location.replace), so Back does not return to it. Its own module name keeps
// initAll from starting GOV.UK's version on the same element.
export class ExitThisPageReplacingHistory extends ExitThisPage {
  static moduleName = "app-exit-this-page";

  exitPage() {
    if (!this.$updateSpan) {
      return;
    }
    this.$updateSpan.textContent = "";
    document.body.classList.add("govuk-exit-this-page-hide-content");
    // As GOV.UK Frontend 6's own exitPage, whose resetPage (on pageshow) removes this.$overlay.
    this.$overlay = document.createElement("div");
    this.$overlay.className = "govuk-exit-this-page-overlay";
    this.$overlay.setAttribute("role", "alert");
    this.$overlay.textContent = this.i18n.t("activated");
    document.body.appendChild(this.$overlay);
    window.location.replace(this.$button.href);
  }
}
