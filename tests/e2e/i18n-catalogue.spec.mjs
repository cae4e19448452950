// @ts-check
//! The message catalogues without a browser (www/i18n.js, www/messages/): both languages have the
//! same keys, each with the same {placeholders} (in every plural form); every key the page names
//! (index.html's data-i18n*, the literal keys of t('…') in www/) is in them; the language is
//! chosen in the decided order; plurals and numbers follow the language.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import en from '../../www/messages/en.js';
import zhCN from '../../www/messages/zh-CN.js';
import { chooseLanguage, errorText, setLanguage, supported, t } from '../../www/i18n.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The placeholders of a message, all plural forms together. @param {any} message */
function placeholders(message) {
  const forms = typeof message === 'string' ? [message] : Object.values(message);
  return [...new Set(forms.flatMap((f) => [...String(f).matchAll(/\{(\w+)\}/g)].map((m) => m[1])))].sort();
}

test('both catalogues have the same keys', () => {
  const missing = Object.keys(en).filter((k) => !(k in zhCN));
  const extra = Object.keys(zhCN).filter((k) => !(k in en));
  assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
});

test('each key has the same placeholders in both languages', () => {
  const differ = Object.keys(en).filter((k) => k in zhCN &&
    placeholders(/** @type {any} */ (en)[k]).join() !== placeholders(/** @type {any} */ (zhCN)[k]).join());
  assert.deepEqual(differ, []);
});

test('a plural message has an `other` form, and a message is never empty', () => {
  for (const [lang, catalogue] of [['en', en], ['zh-CN', zhCN]]) {
    for (const [key, message] of Object.entries(catalogue)) {
      if (typeof message === 'string') {
        assert.ok(message.length > 0, `${lang} ${key} is empty`);
      } else {
        assert.ok(typeof message.other === 'string', `${lang} ${key} has no 'other' form`);
      }
    }
  }
});

test('every key the page names is in the catalogue', () => {
  const html = readFileSync(path.join(root, 'index.html'), 'utf8');
  const named = [...html.matchAll(/data-i18n(?:-[a-z-]+)?="([^"]+)"/g)].map((m) => m[1]);
  /** @type {(dir: string) => string[]} */
  const sources = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === 'vendor' ? [] : sources(path.join(dir, e.name)))
      : e.name.endsWith('.js') ? [path.join(dir, e.name)] : []);
  for (const file of sources(path.join(root, 'www'))) {
    const text = readFileSync(file, 'utf8');
    named.push(...[...text.matchAll(/\bt\('([\w.-]+)'\s*[,)]/g)].map((m) => m[1]));
    named.push(...[...text.matchAll(/'data-i18n(?:-[a-z-]+)?': '([\w.-]+)'/g)].map((m) => m[1]));
  }
  assert.ok(named.length > 200, `only ${named.length} keys found: the scan is broken`);
  assert.deepEqual([...new Set(named.filter((k) => !(k in en)))], []);
});

test('the language: the pick, else the browser, else the link, else English', () => {
  assert.equal(chooseLanguage({ stored: 'en', browser: ['zh-CN'], url: 'zh-CN' }), 'en');
  assert.equal(chooseLanguage({ stored: 'zh-CN', browser: ['en-US'] }), 'zh-CN');
  assert.equal(chooseLanguage({ stored: 'fr', browser: ['de-DE', 'zh-SG', 'en'] }), 'zh-CN');
  assert.equal(chooseLanguage({ browser: ['en-GB'], url: 'zh-CN' }), 'en');
  assert.equal(chooseLanguage({ browser: ['de-DE', 'fr'], url: 'zh-CN' }), 'zh-CN');
  assert.equal(chooseLanguage({ browser: ['zh-TW'], url: null }), 'en');
  assert.equal(chooseLanguage({ browser: [] }), 'en');
  for (const tag of ['zh', 'zh-CN', 'zh-Hans', 'zh-Hans-CN', 'ZH-sg']) assert.equal(supported(tag), 'zh-CN', tag);
  for (const tag of ['zh-TW', 'zh-HK', 'zh-Hant', 'zh-Hant-CN', 'zh-MO']) assert.equal(supported(tag), null, tag);
  assert.equal(supported('en-IN'), 'en');
  assert.equal(supported('english'), null);
});

test('fields, plurals and numbers follow the language', () => {
  setLanguage('en');
  assert.equal(t('network.parameters', { count: 1 }), '1 parameter');
  assert.equal(t('network.parameters', { count: 12345 }), '12,345 parameters');
  assert.equal(t('projection.matches', { count: 2 }), '2 matches');
  setLanguage('zh-CN');
  assert.equal(t('network.parameters', { count: 12345 }), '12,345 个参数');
  assert.equal(t('attention.head', { head: 2 }), '头 2');
  // A missing field stays visible as its placeholder rather than vanishing.
  assert.equal(t('attention.head'), '头 {head}');
  setLanguage('en');
});

test('an error is worded by its code, its cause as the reason; without a known code, its message', () => {
  setLanguage('zh-CN');
  assert.equal(errorText({ message: 'There is nothing to undo.', code: 'nothing-to-undo' }), '没有可以撤销的操作。');
  assert.equal(errorText({ message: 'an English message', code: 'no-such-code' }), 'an English message');
  assert.equal(errorText({ message: 'x', code: 'link-defaults', cause: { message: 'inner', code: 'no-file-read' } }),
    '还没有读取任何文件。 页面以默认设置启动。');
  setLanguage('en');
  assert.equal(errorText({ message: 'x', code: 'saved-not-reopened', cause: { message: 'it broke' } }),
    'Your saved model could not be reopened (it broke).');
});
