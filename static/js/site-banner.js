// A banner the team lets people hide (templates/includes/site_banners.html): the choice is kept
// in this browser's local storage, never sent to the site, so no cookie tracks the visitor.
const STORAGE_KEY = "hidden-banners";

function hiddenKeys() {
  try {
    return JSON.parse(window.localStorage.getItem(STORAGE_KEY)) || [];
  } catch {
    return [];
  }
}

export function initSiteBanners() {
  document.querySelectorAll("[data-app-hide-key]").forEach((banner) => {
    const key = banner.dataset.appHideKey;
    const container = banner.parentElement;
    if (hiddenKeys().includes(key)) {
      container.hidden = true;
      return;
    }
    const button = banner.querySelector("[data-app-hide-button]");
    button.hidden = false;
    button.addEventListener("click", () => {
      try {
        // Only the banners still on the site's pages are worth remembering.
        const live = [...document.querySelectorAll("[data-app-hide-key]")].map(
          (element) => element.dataset.appHideKey,
        );
        const keep = hiddenKeys().filter((k) => live.includes(k));
        window.localStorage.setItem(STORAGE_KEY, JSON.stringify([...keep, key]));
      } catch {
        // Storage refused (a private window in some browsers): hide it for this page only.
      }
      container.hidden = true;
      // Focus would otherwise be lost with the button: start again at the page's content.
      const main = document.getElementById("main-content");
      main.setAttribute("tabindex", "-1");
      main.focus();
    });
  });
}
