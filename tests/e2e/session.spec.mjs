// @ts-check
//! The one wasm Session, called as the worker calls it (in a page of the app's origin, on the
//! CPU): each kind answers what fits it with the events of www/protocol.js, their dense arrays
//! as Float32Arrays of their own, and refuses what fits the other kind with a message that says
//! why, without breaking the session.

import { test } from 'node:test';
import { openPage } from './browser.mjs';
import { assert, withPage } from './helpers.mjs';

test('one Session class: an MLP and a transformer each answer their own methods and refuse the other\'s', { timeout: 300_000 }, () =>
  withPage(openPage('#backend=cpu'), async ({ page }) => {
    const seen = await page.evaluate(async () => {
      /** @type {typeof import('../../pkg/kindling.js')} */
      const wasm = await import(new URL('pkg/kindling.js', location.href).href);
      await wasm.default();
      /** @param {() => unknown} call */
      const refusal = async (call) => {
        try {
          await call();
          return null;
        } catch (err) {
          return err instanceof Error ? err.message : String(err);
        }
      };
      const mlp = wasm.Session.points(wasm.defaultSettings(), 'cpu');
      mlp.train(3);
      const losses = await mlp.readLosses();
      const evaluation = await mlp.evaluate();
      const boundary = await mlp.boundary(4);
      const mlpRefuses = {
        attention: await refusal(() => mlp.attention(0)),
        generate: await refusal(() => mlp.generate('a', 3, 1, 1)),
        testExamples: await refusal(() => mlp.testExamples),
        tableData: await refusal(() => mlp.tableData()),
      };
      // A refused call leaves the session as it was.
      mlp.train(1);
      const mlpAfter = { step: mlp.step, tablePoints: mlp.tablePoints() };

      const sequences = wasm.Session.sequences(wasm.defaultSequenceSettings(), 'cpu');
      const attention = await sequences.attention(0);
      const predictions = await sequences.predict(0);
      const sequenceEval = await sequences.evaluate();
      const sequencesRefuse = {
        boundary: await refusal(() => sequences.boundary(4)),
        testMetrics: await refusal(() => sequences.testMetrics()),
      };
      return {
        modes: [mlp.mode, sequences.mode],
        losses: { typed: losses instanceof Float32Array, length: losses.length },
        evaluation: Object.keys(evaluation).sort(),
        evaluationType: evaluation.type,
        boundary: {
          type: boundary.type, step: boundary.step, typed: boundary.values instanceof Float32Array,
          owns: boundary.values.byteLength === boundary.values.buffer.byteLength, length: boundary.values.length,
        },
        mlpRefuses, mlpAfter,
        attention: {
          type: attention.type, typed: attention.values instanceof Float32Array,
          length: attention.values.length, expected: attention.layers * attention.heads * attention.length ** 2,
        },
        predictions: { type: predictions.type, example: predictions.example, outputs: predictions.output.length },
        sequenceEval: Object.keys(sequenceEval).sort(),
        sequencesRefuse,
      };
    });
    assert.deepEqual(seen.modes, ['points', 'sequences']);
    assert.deepEqual(seen.losses, { typed: true, length: 3 });
    assert.equal(seen.evaluationType, 'eval');
    assert.deepEqual(seen.evaluation, ['step', 'testAccuracy', 'testLoss', 'trainAccuracy', 'trainLoss', 'type']);
    // The spiral has two classes: a probability of each over the 4 × 4 grid.
    assert.deepEqual(seen.boundary, { type: 'boundary', step: 3, typed: true, owns: true, length: 32 });
    for (const [method, message] of Object.entries(seen.mlpRefuses)) {
      const only = method === 'tableData' ? "only a table's MLP has it" : 'only a transformer has it';
      assert.match(String(message), new RegExp(`^Session\\.${method}: ${only}`), method);
    }
    assert.deepEqual(seen.mlpAfter, { step: 4, tablePoints: null });
    assert.equal(seen.attention.type, 'attention');
    assert.ok(seen.attention.typed);
    assert.equal(seen.attention.length, seen.attention.expected);
    assert.deepEqual(seen.predictions, { type: 'predictions', example: 0, outputs: 8 });
    assert.deepEqual(seen.sequenceEval, ['step', 'testAccuracy', 'testLoss', 'testSequenceAccuracy',
      'trainAccuracy', 'trainLoss', 'trainSequenceAccuracy', 'type']);
    for (const [method, message] of Object.entries(seen.sequencesRefuse)) {
      assert.match(String(message), new RegExp(`^Session\\.${method}: only an MLP has it; this session trains a transformer`), method);
    }
  }));
