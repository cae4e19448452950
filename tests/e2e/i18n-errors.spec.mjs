// @ts-check
//! The core's errors in the user's language (issue 16): a bad file uploaded to a zh-CN page is
//! refused in Chinese, naming its file, line, column and value; the language switch words the
//! same error again in English, from its code and fields (no second upload); and a link whose
//! settings do not fit the memory budget is refused in Chinese down to the setting's name and
//! the section it belongs to (errors inside errors, each from the catalogue).

import { test } from 'node:test';
import { openPage } from './browser.mjs';
import { CPU_TIMEOUT, assert, waitForSequenceSession, waitForSession, withPage } from './helpers.mjs';

/** A CSV whose numeric column holds a word on line 4, made here. */
const PRICES = Buffer.from('item,price\na,1.5\nb,2\nc,n/a\nd,4\n');

test('a bad file in zh-CN is refused in Chinese naming line, column and value; the switch words it in English', { timeout: 2 * CPU_TIMEOUT }, () =>
  withPage(openPage('?backend=cpu', { locale: 'zh-CN' }), async ({ page }) => {
    await waitForSession(page);
    await page.setInputFiles('#data-file', { name: 'prices.csv', mimeType: 'text/csv', buffer: PRICES });
    const status = page.locator('#upload-status[data-state="error"]');
    await status.waitFor({ timeout: CPU_TIMEOUT });
    const chinese = 'prices.csv，第 4 行，列“price”：“n/a”不是数字；此列其他值都是数字（缺失值请留空或写 NA）';
    assert.equal(await status.innerText(), chinese);
    assert.match(await page.innerText('#messages'), /prices\.csv，第 4 行，列“price”：“n\/a”不是数字/);

    await page.selectOption('#language-choice', 'en');
    await page.locator('#upload-status', { hasText: 'is not a number' }).waitFor();
    assert.equal(await status.innerText(),
      "prices.csv, line 4, column 'price': 'n/a' is not a number; the other values in this column are numbers (leave missing values empty or write NA)");
  }));

test('a link over the memory budget is refused in Chinese, its section and setting named in Chinese', { timeout: 300_000 }, () =>
  withPage(openPage('#mode=sequences&backend=cpu&train.batchSize=5000&data.length=128&model.heads=8', { locale: 'zh-CN' }), async ({ page }) => {
    await waitForSequenceSession(page);
    const error = page.locator('[data-testid="error-message"]', { hasText: '批大小' });
    await error.waitFor({ timeout: CPU_TIMEOUT });
    const text = await error.locator('p').innerText();
    assert.match(text, /^链接中的设置未被接受（训练：此模型的一个批次需要 [\d.]+ GiB（注意力分数：批 1600 × 8 个头 × 128² 个位置 × 1 个块）；CPU上的预算为 1\.0 GiB。能放下的最大批大小为 (\d+)。）；改用默认设置。$/, text);
    assert.doesNotMatch(text, /Training|the CPU|largest|batch|heads|positions/, text);
  }));
