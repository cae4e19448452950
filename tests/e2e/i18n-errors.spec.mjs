// @ts-check
//! The core's errors in the user's language (issue 16): a bad file uploaded to a zh-CN page is
//! refused in Chinese, naming its file, line, column and value; the language switch words the
//! same error again in English, from its code and fields (no second upload); and a link whose
//! settings do not fit the memory budget is refused in Chinese down to the setting's name and
//! the section it belongs to (errors inside errors, each from the catalogue); a usable file's
//! warnings (a repeated row, a constant column) are in Chinese in the preview too.

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

test('a usable file\'s warnings are in Chinese in the preview, and in English after the switch', { timeout: 2 * CPU_TIMEOUT }, () =>
  withPage(openPage('?backend=cpu', { locale: 'zh-CN' }), async ({ page }) => {
    await waitForSession(page);
    // Line 4 repeats line 2, and column k holds 1 in every row.
    const csv = 'a,k,label\n1,1,x\n2,1,y\n1,1,x\n3,1,y\n4,1,x\n';
    await page.setInputFiles('#data-file', { name: 'notes.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.locator('#table-preview[data-file="notes.csv"]').waitFor({ timeout: CPU_TIMEOUT });
    const warnings = page.locator('#table-warnings');
    await warnings.locator('li', { hasText: '有 1 行与前面某一行完全相同' }).waitFor();
    assert.match(await page.innerText('#table-preview tr[data-column="k"] td.warning'), /每一行的值都是“1”：它对模型没有任何信息/);
    await page.selectOption('#language-choice', 'en');
    await warnings.locator('li', { hasText: '1 rows repeat an earlier row exactly' }).waitFor();
    assert.match(await page.innerText('#table-preview tr[data-column="k"] td.warning'), /has the same value, '1', in every row/);
  }));
