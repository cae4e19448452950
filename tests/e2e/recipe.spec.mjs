// @ts-check
//! The training recipe's panel (issue 17, views/recipe-panel.js) on the CPU backend: the loss at
//! init of the two-class spiral is ln 2, overfitting one batch memorises it and leaves the model
//! as it was (its share link, bit for bit), the zero-input baseline stays near ln 2 while the
//! model's loss falls, "run again with this seed" retraces the curve exactly and can be undone,
//! and dropout's two modes differ (in Chinese too); axe over the open panel.

import { test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import { openPage } from './browser.mjs';
import { CPU_TIMEOUT, assert, pause, stepCount, waitForSession, withPage } from './helpers.mjs';

/** @typedef {import('playwright-core').Page} Page */

const LN2 = Math.log(2);
/** The spiral, learnt quickly (helpers.mjs SPIRAL) on the CPU. */
const FAST_SPIRAL = '#backend=cpu&train.batchSize=300&train.learningRate=0.03';

/** Opens the panel. @param {Page} page */
async function openRecipe(page) {
  await page.click('#recipe-details > summary');
  await page.locator('#recipe-init-loss:not([disabled])').waitFor();
}

/** Plays until the step count reaches `steps`, then pauses. @param {Page} page @param {number} steps */
async function trainTo(page, steps) {
  await page.click('#play');
  await page.waitForFunction((n) => Number(document.querySelector('#step-count')?.textContent) >= n, steps,
    { timeout: CPU_TIMEOUT, polling: 100 });
  await pause(page);
  return stepCount(page);
}

/** The share link's text once it differs from `before`. @param {Page} page @param {string} before */
async function linkOtherThan(page, before) {
  await page.waitForFunction((b) => {
    const v = /** @type {HTMLInputElement} */ (document.querySelector('#share-link')).value;
    return v !== '' && v !== b;
  }, before);
  return page.locator('#share-link').inputValue();
}

/** The f32 share link of the model in force: its weights, step and history, exactly. @param {Page} page */
async function exactLink(page) {
  if (!(await page.locator('#share-panel').isVisible())) await page.click('#share');
  let shown = await linkOtherThan(page, '');
  // Another precision first, so that the f32 link is made anew from the model as it is now.
  if ((await page.locator('#share-precision').inputValue()) === 'f32') {
    await page.selectOption('#share-precision', 'f16');
    shown = await linkOtherThan(page, shown);
  }
  await page.selectOption('#share-precision', 'f32');
  return linkOtherThan(page, shown);
}

test('the loss at init of the two-class spiral is ln 2, and the check says so', { timeout: 180_000 }, () =>
  withPage(openPage('#backend=cpu'), async ({ page }) => {
    await waitForSession(page);
    await openRecipe(page);
    await page.click('#recipe-init-loss');
    const result = page.locator('#recipe-init-loss-result[data-verdict]');
    await result.waitFor();
    const measured = Number(await result.getAttribute('data-measured'));
    const expected = Number(await result.getAttribute('data-expected'));
    assert.ok(Math.abs(measured - LN2) < 0.05, `measured ${measured}`);
    assert.ok(Math.abs(expected - LN2) < 1e-6, `expected ${expected}`);
    assert.equal(await result.getAttribute('data-verdict'), 'ok');
    assert.match(await result.innerText(), /As expected/);
    // The output bias at the prior: a new model, whose expected loss is the prior's entropy (the
    // train split is near balanced, so a little under ln 2), measured within the tolerance.
    await page.check('#recipe-output-prior');
    await page.waitForFunction(() => location.hash.includes('model.outputBias=prior'));
    await page.locator('#recipe-init-loss:not([disabled])').waitFor();
    await page.click('#recipe-init-loss');
    const prior = page.locator('#recipe-init-loss-result[data-verdict]', { hasText: /prior's entropy/ });
    await prior.waitFor();
    const entropy = Number(await prior.getAttribute('data-expected'));
    assert.ok(entropy <= LN2 && entropy > LN2 - 0.01, `the prior's entropy ${entropy}`);
    assert.equal(await prior.getAttribute('data-verdict'), 'ok');
    // Off again: the URL holds nothing of it, as before the option existed.
    await page.uncheck('#recipe-output-prior');
    await page.waitForFunction(() => !location.hash.includes('outputBias'));
  }));

test('overfitting one batch reaches a loss below 0.01, then the model is as it was', { timeout: 300_000 }, () =>
  withPage(openPage(FAST_SPIRAL), async ({ page }) => {
    await waitForSession(page);
    const step = await trainTo(page, 50);
    const before = await exactLink(page);
    await openRecipe(page);
    await page.click('#recipe-overfit');
    const result = page.locator('#recipe-overfit-result[data-verdict]');
    await result.waitFor({ timeout: CPU_TIMEOUT });
    assert.equal(await result.getAttribute('data-verdict'), 'reached', await result.innerText());
    const final = Number(await result.getAttribute('data-final-loss'));
    assert.ok(final < 0.01, `final loss ${final}`);
    assert.match(await result.innerText(), /Your model is as it was before/);
    // The weights, step and history: the same link, character for character.
    assert.equal(await stepCount(page), step);
    assert.equal(await exactLink(page), before);
    // And the panel can run it again.
    await page.locator('#recipe-overfit:not([disabled])').waitFor();
  }));

test("the zero-input baseline's loss stays near ln 2 while the model's falls", { timeout: 300_000 }, () =>
  withPage(openPage(FAST_SPIRAL), async ({ page }) => {
    await waitForSession(page);
    await openRecipe(page);
    await page.check('#recipe-baseline');
    await trainTo(page, 400);
    const result = page.locator('#recipe-baseline-result[data-baseline]');
    const baseline = Number(await result.getAttribute('data-baseline'));
    const model = Number(await result.getAttribute('data-model'));
    assert.ok(Math.abs(baseline - LN2) < 0.05, `baseline ${baseline}`);
    assert.ok(model < LN2 - 0.3, `model ${model}`);
    assert.match(await result.innerText(), /baseline .* your model/);
    // Off again: the progress stops carrying it, and the model trains on.
    await page.uncheck('#recipe-baseline');
    const at = Number(await result.getAttribute('data-step'));
    await trainTo(page, 500);
    assert.equal(Number(await result.getAttribute('data-step')), at);
  }));

test('run again with this seed retraces the curve exactly, and Undo brings the trained model back', { timeout: 300_000 }, () =>
  withPage(openPage(FAST_SPIRAL), async ({ page }) => {
    await waitForSession(page);
    const trained = await trainTo(page, 150);
    await openRecipe(page);
    await page.click('#recipe-rerun');
    const undo = page.locator('[data-testid="undo-message"]', { hasText: /^Reset: the model from step/ });
    await undo.waitFor();
    assert.equal(await stepCount(page), 0);
    await trainTo(page, 150);
    const chart = page.locator('#loss-chart');
    const compared = Number(await chart.getAttribute('data-previous-steps'));
    assert.ok(compared >= 150, `compared ${compared} steps`);
    assert.equal(Number(await chart.getAttribute('data-previous-diff')), 0, 'the same curve, bit for bit');
    await undo.getByRole('button', { name: 'Undo' }).click();
    await page.waitForFunction((n) => Number(document.querySelector('#step-count')?.textContent) === n, trained);
    // Another seed: another curve, kept beside the one before (a run from seed 1 again).
    await page.click('#recipe-rerun');
    await page.waitForFunction(() => document.querySelector('#step-count')?.textContent === '0');
    await trainTo(page, 100);
    await page.fill('#recipe-seed', '7');
    await page.click('#recipe-other-seed');
    await page.waitForFunction(() => location.hash.includes('train.seed=7'));
    await trainTo(page, 100);
    assert.ok(Number(await chart.getAttribute('data-previous-steps')) >= 100);
    assert.ok(Number(await chart.getAttribute('data-previous-diff')) > 0.001, 'another seed, another curve');
  }));

test('dropout in both modes, in Chinese too; the open panel has no serious axe violation', { timeout: 300_000 }, () =>
  withPage(openPage('#backend=cpu&model.hidden=16:relu:0.5,16:relu:0', { locale: 'zh-CN' }), async ({ page }) => {
    await waitForSession(page);
    await openRecipe(page);
    assert.equal(await page.textContent('#recipe-title'), '训练配方');
    await trainTo(page, 50);
    await page.click('#recipe-dropout');
    const result = page.locator('#recipe-dropout-result[data-has-dropout]');
    await result.waitFor();
    assert.equal(await result.getAttribute('data-has-dropout'), 'true');
    const [train, evaluated] = [Number(await result.getAttribute('data-train-mode')), Number(await result.getAttribute('data-eval-mode'))];
    assert.ok(train !== evaluated, `train mode ${train}, eval mode ${evaluated}`);
    assert.match(await result.innerText(), /训练模式（dropout 开启）/);
    await page.click('#recipe-init-loss');
    await page.locator('#recipe-init-loss-result[data-verdict]').waitFor();
    const { violations } = await new AxeBuilder({ page }).include('#recipe-panel').analyze();
    const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(bad.map((v) => `${v.id}: ${v.help}`), []);
    // Zeros init from the panel: a new model, and the trained one can come back with Undo.
    await page.selectOption('#language-choice', 'en');
    await page.click('#recipe-zeros');
    await page.waitForFunction(() => location.hash.includes('model.init=zeros'));
    assert.equal(await page.textContent('#recipe-zeros'), 'Back to Kaiming init');
    await page.locator('[data-testid="undo-message"]', { hasText: /^New settings: the model from step/ }).waitFor();
  }));
