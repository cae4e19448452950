// @ts-check
//! Export as PyTorch (issue 19, item 4) from the page: the download is a .py named after the
//! model file, with the network of the settings in force (`nn.Module`, its layers and sizes), the
//! layout table of every tensor in the model file, predict, and the torchrun training loop. The
//! parity of its outputs with Kindling's under real PyTorch is tests/pytorch/parity.py's (run by
//! `cargo xtask test`).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { openPage } from './browser.mjs';
import { CPU_TIMEOUT, reviewsCsv } from './helpers.mjs';

test('Export as PyTorch downloads a script of the network in force', async () => {
  const { page, consoleErrors, close } = await openPage('#backend=cpu&model.hidden=12:tanh:0,7:relu:0');
  try {
    await page.locator('#export-pytorch:not([disabled])').waitFor({ timeout: CPU_TIMEOUT });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-pytorch')]);
    assert.equal(download.suggestedFilename(), 'kindling-points-step0.py');
    const script = readFileSync(/** @type {string} */ (await download.path()), 'utf8');
    assert.match(script, /class Model\(nn\.Module\)/);
    assert.match(script, /Hidden\(2, 12, nn\.Tanh\(\), 0\)/, 'the first layer: x, y in, 12 tanh units');
    assert.match(script, /Hidden\(12, 7, nn\.ReLU\(\), 0\)/);
    assert.match(script, /def predict\(/);
    assert.match(script, /torchrun/);
    for (const name of ['hidden.0.linear.weight', 'hidden.1.linear.bias', 'output.weight']) {
      assert.ok(script.includes(`"${name}"`), `the layout names ${name}`);
    }
    assert.deepEqual(consoleErrors, []);
  } finally {
    await close();
  }
});

test('a model of the user\'s table exports with its encoding: the columns, their statistics and categories', async () => {
  const { page, consoleErrors, close } = await openPage('#backend=cpu');
  try {
    await page.locator('#play:not([disabled])').waitFor({ timeout: CPU_TIMEOUT });
    const rows = ['size,colour,kind'];
    for (let i = 0; i < 120; i++) rows.push(`${(i % 17) * 0.5},${['red', 'green', 'blue'][i % 3]},${i % 17 > 8 ? 'big' : 'small'}`);
    await page.setInputFiles('#data-file', { name: 'things.csv', mimeType: 'text/csv', buffer: Buffer.from(`${rows.join('\n')}\n`) });
    await page.locator('#table-preview[data-file="things.csv"]').waitFor({ timeout: CPU_TIMEOUT });
    await page.click('#use-file');
    await page.locator('#predict-panel:not([hidden])').waitFor({ timeout: CPU_TIMEOUT });
    await page.locator('#export-pytorch:not([disabled])').waitFor({ timeout: CPU_TIMEOUT });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-pytorch')]);
    const script = readFileSync(/** @type {string} */ (await download.path()), 'utf8');
    const encoding = /ENCODING = json\.loads\(r"""\n([\s\S]*?)\n"""\)/.exec(script);
    assert.ok(encoding, 'the script holds the encoding');
    const columns = JSON.parse(encoding[1]);
    assert.deepEqual(columns.map((/** @type {any} */ c) => [c.column, c.kind]), [['size', 'numeric'], ['colour', 'oneHot']]);
    assert.deepEqual(columns[1].categories, ['blue', 'green', 'red'], 'categories in input order');
    assert.ok(columns[0].std > 0);
    assert.match(script, /^TARGET = "kind"$/m);
    assert.match(script, /^CLASSES = \["big","small"\]$/m);
    assert.match(script, /^INPUTS = 4$/m);
    assert.match(script, /def predict_table\(/);
    assert.match(script, /Hidden\(4, /, 'the first layer takes the four encoded inputs');
    assert.deepEqual(consoleErrors, []);
  } finally {
    await close();
  }
});

test('a text classifier exports with its vocabulary, how it cuts a text, and one class per text', async () => {
  const { page, consoleErrors, close } = await openPage('#backend=cpu');
  try {
    await page.locator('#play:not([disabled])').waitFor({ timeout: CPU_TIMEOUT });
    await page.setInputFiles('#data-file', { name: 'reviews.csv', mimeType: 'text/csv', buffer: reviewsCsv(120) });
    await page.locator('#text-column-choices').waitFor({ timeout: CPU_TIMEOUT });
    await page.fill('#text-max-length', '8');
    await page.click('#use-text-column');
    await page.locator('#classify-box:not([hidden])').waitFor({ timeout: CPU_TIMEOUT });
    await page.locator('#export-pytorch:not([disabled])').waitFor({ timeout: CPU_TIMEOUT });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-pytorch')]);
    const script = readFileSync(/** @type {string} */ (await download.path()), 'utf8');
    assert.match(script, /^KIND = "classifier"$/m);
    assert.match(script, /^UNIT = "word"$/m);
    assert.match(script, /^LENGTH = 8$/m);
    const tokens = JSON.parse(/^TOKENS = json\.loads\(r"""(.*)"""\)$/m.exec(script)?.[1] ?? 'null');
    assert.deepEqual(tokens.slice(0, 2), ['<pad>', '<unk>']);
    for (const word of ['film', 'superb', 'dull']) assert.ok(tokens.includes(word), `the vocabulary has ${word}`);
    assert.deepEqual(JSON.parse(/^OUTPUTS = json\.loads\(r"""(.*)"""\)$/m.exec(script)?.[1] ?? 'null').sort(), ['neg', 'pos']);
    // The settings name a built-in task, yet the model classifies: it pools its positions.
    assert.match(script, /x = x\.mean\(dim=1, keepdim=True\)/);
    assert.match(script, /def classify\(model, text\)/);
    assert.match(script, /classify: python model\.py classify model\.safetensors "TEXT"/);
    assert.deepEqual(consoleErrors, []);
  } finally {
    await close();
  }
});
