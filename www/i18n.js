// @ts-check
//! The page's languages: English and Simplified Chinese. Every user-visible string goes through
//! `t(key, fields)` and one catalogue per language (www/messages/en.js, zh-CN.js, the same keys and
//! the same {placeholders}: tests/e2e/i18n-catalogue.spec.mjs). A message is a string with
//! `{name}` placeholders, or, where the words follow a count, an object of Intl.PluralRules
//! categories (`{ one, other }`) picked by the field `count`. Numbers in fields are written with
//! Intl.NumberFormat of the language. The markup's text carries its key in `data-i18n` (the
//! element's text, or its first text of its own when it also holds controls) and
//! `data-i18n-<attribute>` (aria-label, title, placeholder, alt, aria-roledescription): translatePage writes them.
//!
//! Which language (chooseLanguage): the one picked in the header in this browser (localStorage),
//! else the first of the browser's languages that we have, else the URL's `?lang=` (a shared
//! link's), else English. The pick is written to `?lang=` too, so reloads and links carry it.

import en from './messages/en.js';
import zhCN from './messages/zh-CN.js';

/** @typedef {'en' | 'zh-CN'} Language */
/** @typedef {string | Partial<Record<Intl.LDMLPluralRule, string>>} Message */

/** @type {Record<Language, Record<string, Message>>} */
export const CATALOGUES = { en, 'zh-CN': zhCN };
/** @type {Language[]} */
export const LANGUAGES = ['en', 'zh-CN'];
/** Where the header's switch keeps the user's pick. */
export const STORAGE_KEY = 'kindling.language';
/** Attributes users or screen readers perceive, translated from `data-i18n-<name>`. */
const ATTRIBUTES = ['aria-label', 'title', 'placeholder', 'alt', 'aria-description', 'aria-roledescription'];

/** @type {Language} */
let current = 'en';
let numbers = new Intl.NumberFormat('en', { maximumFractionDigits: 20 });
let plurals = new Intl.PluralRules('en');
/** @type {(() => void)[]} */
const listeners = [];

/**
 * The language a tag names, if we have it: any `zh*` but Traditional (zh-TW, zh-HK, zh-MO,
 * zh-Hant) is zh-CN; any `en*` is en.
 * @param {string | null | undefined} tag @returns {Language | null}
 */
export function supported(tag) {
  if (!tag) return null;
  const lower = tag.toLowerCase();
  if (lower === 'en' || lower.startsWith('en-')) return 'en';
  if (lower === 'zh' || lower.startsWith('zh-')) {
    return /^zh-(tw|hk|mo|hant)(-|$)/.test(lower) ? null : 'zh-CN';
  }
  return null;
}

/**
 * The decided order: the user's pick, the browser's languages, the link's, English.
 * @param {{ stored?: string | null, browser?: readonly string[], url?: string | null }} sources
 * @returns {Language}
 */
export function chooseLanguage({ stored, browser = [], url }) {
  const picked = LANGUAGES.find((l) => l === stored);
  if (picked) return picked;
  for (const tag of browser) {
    const found = supported(tag);
    if (found) return found;
  }
  return supported(url) ?? 'en';
}

/** @returns {Language} */
export function language() {
  return current;
}

/** Makes `lang` the language of `t` and the markup's, and tells the views to write their own text again. @param {Language} lang */
export function setLanguage(lang) {
  current = lang;
  numbers = new Intl.NumberFormat(lang, { maximumFractionDigits: 20 });
  plurals = new Intl.PluralRules(lang);
  // The markup first: a view's own text (a button's state) is written over it after.
  if (typeof document !== 'undefined') translatePage(document);
  for (const listener of listeners) listener();
}

/** `callback` runs after each change of language (a view writes its own text again). @param {() => void} callback */
export function onLanguageChange(callback) {
  listeners.push(callback);
}

/** A number as the language writes it ("12,345"). @param {number} n */
export function formatNumber(n) {
  return numbers.format(n);
}

/** Whether the catalogue of the language in force has `key`. @param {string} key */
export function has(key) {
  return key in CATALOGUES[current];
}

/**
 * The message `key` of the language in force with its fields filled in; English where the
 * catalogue lacks it (the checks keep both complete), the key itself where both do.
 * @param {string} key @param {Record<string, unknown>} [fields]
 */
export function t(key, fields = {}) {
  const message = CATALOGUES[current][key] ?? CATALOGUES.en[key];
  if (message === undefined) return key;
  const text = typeof message === 'string' ? message
    : message[plurals.select(Number(fields.count))] ?? message.other ?? '';
  return text.replace(/\{(\w+)\}/g, (whole, name) => {
    const value = fields[name];
    if (value === undefined || value === null) return whole;
    return typeof value === 'number' ? formatNumber(value) : String(value);
  });
}

/**
 * Writes the text of every marked element under `root` in the language in force.
 * @param {ParentNode} root
 */
export function translatePage(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) {
    const key = /** @type {HTMLElement} */ (el).dataset.i18n ?? '';
    setOwnText(/** @type {HTMLElement} */ (el), t(key));
  }
  for (const name of ATTRIBUTES) {
    for (const el of root.querySelectorAll(`[data-i18n-${name}]`)) {
      el.setAttribute(name, t(el.getAttribute(`data-i18n-${name}`) ?? ''));
    }
  }
}

/**
 * An element's text: all of it when it holds only text, else its first text of its own
 * (a label's words before its control), keeping the spaces around it.
 * @param {HTMLElement} el @param {string} text
 */
function setOwnText(el, text) {
  if (el.children.length === 0) {
    el.textContent = text;
    return;
  }
  const node = Array.from(el.childNodes).find((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim());
  if (!node) {
    el.prepend(`${text} `);
    return;
  }
  const [, before, , after] = /** @type {RegExpMatchArray} */ (/^(\s*)([\s\S]*?)(\s*)$/.exec(node.textContent ?? ''));
  node.textContent = `${before}${text}${after}`;
}

/**
 * An error event's words (protocol.js ErrorDetail): its code's message with its fields, the
 * error inside it as `{reason}`; its English message where the catalogue has no such code.
 * @param {{ message: string, code?: string, fields?: Record<string, unknown>, cause?: any }} error
 * @returns {string}
 */
export function errorText(error) {
  const key = `error.${error.code}`;
  if (!error.code || !(key in CATALOGUES.en)) return error.message;
  /** @type {Record<string, unknown>} */
  const fields = {};
  for (const [name, value] of Object.entries(error.fields ?? {})) {
    fields[name] = value && typeof value === 'object' ? errorText(/** @type {any} */ (value)) : value;
  }
  if (error.cause) fields.reason = errorText(error.cause);
  return t(key, fields);
}
