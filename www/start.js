// @ts-check
//! The page's entry point: checks that the browser has what the page needs
//! (browser-support.js), and only then loads the playground (main.js), its views and its worker.

import { missingFeatures, showMissing } from './browser-support.js';
import { startLanguage } from './views/language-switch.js';

const missing = missingFeatures();
if (missing.length) {
  startLanguage();
  showMissing(/** @type {HTMLElement} */ (document.getElementById('unsupported')), missing);
} else {
  import('./main.js');
}
