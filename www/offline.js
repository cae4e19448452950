// @ts-check
//! Offline and updates for the static site (`cargo xtask dist`): registers its service worker
//! (sw.js, which precaches the build) and, when a newer build has been deployed, offers to
//! reload into it. The reload waits for the user: if the model is training, it is paused and
//! saved first (autosave.js reopens it after the reload). A page without a build (`cargo xtask
//! serve`: no `kindling-build` meta) registers nothing.

/** How often an open tab asks for a new build (a browser also asks on each visit). */
const UPDATE_EVERY_MS = 30 * 60_000;

/**
 * @param {{ offer: (apply: () => void) => void, beforeReload: () => Promise<void> }} hooks
 *   offer: show that a new version is ready; `apply` reloads into it.
 *   beforeReload: pause and save the model.
 * @returns {string | null} the build's version, or null when there is none
 */
export function keepOffline({ offer, beforeReload }) {
  const build = document.querySelector('meta[name="kindling-build"]')?.getAttribute('content') ?? null;
  if (build === null || !('serviceWorker' in navigator)) return null;
  let reloading = false;
  // The first visit's worker takes the page too (clients.claim): only an update reloads.
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (reloading) location.reload();
  });

  /** @param {ServiceWorkerRegistration} registration */
  const offerWaiting = (registration) => {
    const waiting = registration.waiting;
    // A waiting worker with no controller is the first install finishing: nothing to offer.
    if (!waiting || !navigator.serviceWorker.controller) return;
    offer(async () => {
      await beforeReload();
      reloading = true;
      waiting.postMessage('activate');
    });
  };

  navigator.serviceWorker.register(new URL('sw.js', document.baseURI)).then((registration) => {
    offerWaiting(registration);
    registration.addEventListener('updatefound', () => {
      const next = registration.installing;
      next?.addEventListener('statechange', () => {
        if (next.state === 'installed') offerWaiting(registration);
      });
    });
    setInterval(() => registration.update().catch(() => {}), UPDATE_EVERY_MS);
  }).catch((err) => {
    // The page works without it, only not offline (a private window may refuse it).
    console.warn(`Kindling works online only: the service worker was refused (${err.message})`);
  });
  return build;
}
