// @ts-check
//! The header's language switch (English, 简体中文): the page's text is written again in place
//! (the model and training go on), `<html lang>` follows, the pick is kept in this browser and in
//! the URL's `?lang=` (history.replaceState, the hash kept), so a reload and a share link carry it.

import { STORAGE_KEY, chooseLanguage, language, setLanguage, t } from '../i18n.js';

/** @typedef {import('../i18n.js').Language} Language */

export class LanguageSwitch {
  /** @param {HTMLElement} container */
  constructor(container) {
    this.select = /** @type {HTMLSelectElement} */ (container.querySelector('#language-choice'));
    this.select.value = language();
    this.select.addEventListener('change', () => {
      const lang = /** @type {Language} */ (this.select.value);
      try {
        localStorage.setItem(STORAGE_KEY, lang);
      } catch {
        // Storage refused (a private window's policy): the URL still carries the pick.
      }
      show(lang, true);
    });
  }

  reset() {}

  update(/** @type {any} */ _event) {}
}

/**
 * The language at start (i18n.js's order) put in force, before the views write any text.
 * @returns {Language}
 */
export function startLanguage() {
  let stored = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    // No storage: the browser's languages and the URL decide.
  }
  const url = new URLSearchParams(location.search).get('lang');
  const lang = chooseLanguage({ stored, browser: navigator.languages ?? [navigator.language], url });
  // English by default leaves the URL as it was; anything else is written, so links carry it.
  show(lang, lang !== 'en' || url !== null);
  return lang;
}

/** @param {Language} lang @param {boolean} writeUrl */
function show(lang, writeUrl) {
  setLanguage(lang);
  document.documentElement.lang = lang;
  document.title = t('page.title');
  const select = /** @type {HTMLSelectElement | null} */ (document.getElementById('language-choice'));
  if (select) select.value = lang;
  if (writeUrl) {
    const search = new URLSearchParams(location.search);
    if (search.get('lang') === lang) return;
    search.set('lang', lang);
    history.replaceState(history.state, '', `${location.pathname}?${search}${location.hash}`);
  }
}
