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
import { CPU_TIMEOUT } from './helpers.mjs';

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
