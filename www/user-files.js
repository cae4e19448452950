// @ts-check
//! The files a user brings, in the worker (docs/wasm-api.md, "Your own data"): the one read last
//! and previewed, the table the points mode trains on, the text the sequences mode trains on, and
//! the file a shared model names (docs/share-format.md). Each is a wasm DataFile, freed once
//! nothing holds it; a session on the threaded build reads a twin in that build's memory, made
//! as the file was the first time one is needed (cpu-threads.js). worker.js owns the sessions and
//! calls these, in its queue (command-queue.js).

import { detailOf, typedError } from './webgpu-probe.js';
import { runnerForUse, tableRunner, textColumnRunner, textRunner } from './table-runner.js';

/** @typedef {import('./protocol.js').Post} Post */
/** @typedef {import('./protocol.js').DataOrigin} DataOrigin */
/** @typedef {import('./sequence-runner.js').Runner & { file: import('../pkg/kindling.js').DataFile }} FileRunner */

/**
 * @param {typeof import('../pkg/kindling.js')} wasm the pkg/kindling.js module
 * @param {ReturnType<typeof import('./sequence-runner.js').sequenceRunner>} sequences
 * @param {Post} post
 * @param {import('./sequence-runner.js').BuildOf} buildOf the wasm module of a backend's sessions
 */
export function userFiles(wasm, sequences, post, buildOf) {
  /** @type {import('../pkg/kindling.js').DataFile | null} the file read last, previewed; not yet trained on */
  let pending = null;
  /** @type {FileRunner | null} the user's table, while the points mode trains on it */
  let table = null;
  /** @type {FileRunner | null} the user's text, while the sequences mode trains on it */
  let text = null;
  /** @type {Map<import('../pkg/kindling.js').DataFile, number>} the files of models Undo can put back, with how many hold each */
  const held = new Map();
  /** @type {{ name?: string, bytes?: Uint8Array, sample?: string } | null} where the previewed file came from, to read it again with another decimal mark */
  let source = null;

  /** @typedef {import('../pkg/kindling.js').DataFile} DataFile */
  /** How each file was made, to make it again in the threaded build. @type {WeakMap<DataFile, (build: typeof wasm) => DataFile>} */
  const makers = new WeakMap();
  /** @type {Map<DataFile, DataFile>} each file's twin in the threaded build, once a session there needed it */
  const twins = new Map();
  /** A file of pkg/ made by `make`, which can make its twin. @param {(build: typeof wasm) => DataFile} make */
  const made = (make) => {
    const file = make(wasm);
    makers.set(file, make);
    return file;
  };
  /** @param {DataFile} file @returns {import('./table-runner.js').FilePlaces} */
  const places = (file) => ({
    threads: makers.has(file),
    on(backend) {
      const make = makers.get(file);
      if (backend !== 'threads' || !make) return file;
      let twin = twins.get(file);
      if (!twin) {
        twin = make(buildOf('threads'));
        twins.set(file, twin);
      }
      return twin;
    },
  });

  /** Frees a DataFile (and its twin) that neither the preview, a runner nor Undo holds any more. @param {DataFile | null | undefined} file */
  const release = (file) => {
    if (!file || file === pending || file === table?.file || file === text?.file || held.has(file)) return;
    file.free();
    twins.get(file)?.free();
    twins.delete(file);
  };

  /**
   * `file` when it is the one `data` names; otherwise it is freed and the reason thrown.
   * @param {import('../pkg/kindling.js').DataFile} file @param {DataOrigin} data
   */
  const checked = (file, data) => {
    try {
      file.checkIs(data);
    } catch (err) {
      release(file);
      throw err;
    }
    return file;
  };

  return {
    /** The table runner in force in the points mode, or null. */
    get table() { return table; },
    release,

    /** Keeps `file` alive for a model Undo can put back. @param {import('../pkg/kindling.js').DataFile} file */
    hold(file) {
      held.set(file, (held.get(file) ?? 0) + 1);
    },

    /** Undo no longer needs `file`: freed unless in use. @param {import('../pkg/kindling.js').DataFile} file */
    letGo(file) {
      const count = (held.get(file) ?? 1) - 1;
      if (count > 0) held.set(file, count);
      else held.delete(file);
      release(file);
    },

    /**
     * Reads a dropped file (or a bundled one) and previews it -> `filePreview`; `decimal`
     * ('comma' | 'point') reads a delimited file's numbers so (else it is sniffed), and alone,
     * without a file, reads the previewed one again that way.
     * @param {{ name?: string, bytes?: ArrayBuffer | Uint8Array, sample?: string, decimal?: string }} cmd
     */
    read(cmd) {
      const again = cmd.bytes === undefined && cmd.sample === undefined && cmd.decimal !== undefined;
      if (again && !source) throw typedError('No file has been read yet.', 'no-file-read');
      const from = again && source ? source
        : cmd.sample !== undefined ? { sample: cmd.sample }
          : { name: String(cmd.name ?? 'file'), bytes: new Uint8Array(cmd.bytes ?? []) };
      cmd = { ...cmd, sample: from.sample };
      const decimal = cmd.decimal;
      const file = made(from.sample !== undefined
        ? (build) => build.DataFile.fromSample(/** @type {string} */ (from.sample))
        : (build) => new build.DataFile(String(from.name), from.bytes ?? new Uint8Array(), decimal));
      // A bundled file is in the wasm; a dropped one is kept (in the worker, never sent) while
      // it is the previewed one.
      source = from;
      const old = pending;
      pending = file;
      release(old);
      const preview = file.preview();
      let target = null, targetError = null;
      const sampleTarget = () => wasm.sampleDatasets().find((s) => s.name === cmd.sample)?.target;
      const proposed = cmd.sample !== undefined ? sampleTarget() : preview.defaultTarget;
      if (file.kind === 'table' && proposed) {
        try {
          target = file.target(proposed);
        } catch (err) {
          targetError = detailOf(err);
        }
      }
      post({ type: 'filePreview', name: file.name, kind: file.kind, preview, target, targetError });
    },

    /** The previewed table's column as the target -> `targetSummary`. @param {{ target: string, task?: string }} cmd */
    describeTarget(cmd) {
      if (!pending) throw typedError('No file has been read yet.', 'no-file-read');
      post({ type: 'targetSummary', ...pending.target(cmd.target, cmd.task || undefined) });
    },

    /**
     * The runner that trains on the previewed file as `cmd` says: a table's MLP, or a
     * transformer on a text (language model) or on a table's text column (`tokens`).
     * @param {{ choices?: Record<string, any>, tokens?: Record<string, any> }} cmd
     * @returns {FileRunner}
     */
    runnerFor(cmd) {
      const file = pending;
      if (!file) throw typedError('No file has been read yet.', 'no-file-read');
      const column = file.kind === 'table' && cmd.tokens !== undefined;
      return column ? textColumnRunner(file, cmd.choices ?? {}, cmd.tokens ?? {}, sequences, places(file))
        : file.kind === 'text' ? textRunner(file, sequences, places(file)) : tableRunner(wasm, file, cmd.choices ?? {}, places(file));
    },

    /** `next` is in force: it replaces the runner of its mode, whose file is freed. @param {FileRunner} next */
    adopted(next) {
      const previous = next.mode === 'sequences' ? text : table;
      if (next.mode === 'sequences') text = next;
      else table = next;
      if (previous) release(previous.file);
    },

    /** The points mode goes back to the built-in datasets. */
    leaveTable() {
      const old = table?.file;
      table = null;
      release(old);
    },

    /**
     * The file a shared model names when it needs no asking: carried by its link, bundled, or
     * the file in force (or previewed) when it has the same fingerprint; else null.
     * @param {DataOrigin} data @param {string} [link] the link's text, when it came in one
     */
    atHand(data, link) {
      if (data.embedded && link !== undefined) return made((build) => build.DataFile.fromLink(link));
      if (data.sample) return checked(made((build) => build.DataFile.fromSample(data.name)), data);
      return [table?.file, text?.file, pending].find((f) => f && f.fingerprint === data.sha256) ?? null;
    },

    /**
     * The file the user gave for `data`, read and checked against its fingerprint (throws why not).
     * @param {{ name?: string, bytes?: ArrayBuffer | Uint8Array }} cmd @param {DataOrigin} data
     */
    given(cmd, data) {
      // Compared with `data` before it is parsed: another file is refused unread.
      const [name, bytes] = [String(cmd.name ?? 'file'), new Uint8Array(cmd.bytes ?? [])];
      return made((build) => build.DataFile.given(name, bytes, data));
    },

    /** The runner a shared model's `use` asks for, on `file`. @param {import('../pkg/kindling.js').DataFile} file @param {DataOrigin} data */
    runnerForShared: (file, data) => runnerForUse(wasm, file, data.use, sequences, places(file)),
  };
}
