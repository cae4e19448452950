// @ts-check
//! The page's side of the UMAP / t-SNE worker (www/projection-worker.js): it holds the newest
//! vectors the training worker read back and hands them over when the worker is free, so a slow
//! method always works on the latest frame and never on a queue of stale ones. Started on first
//! use; `cancel` drops what is pending and stops the frame in progress.

export class ProjectionClient {
  /**
   * @param {{ frame: (frame: any) => void, error: (message: string) => void, idle: () => void }} on
   *   frame: a (partial or final) frame; error: the worker failed; idle: it finished a frame.
   */
  constructor(on) {
    this.on = on;
    /** @type {Worker | null} */
    this.worker = null;
    /** whether the worker is computing a frame */
    this.busy = false;
    /** @type {import('./protocol.js').ProjectionVectorsEvent | null} the newest vectors not yet handed over */
    this.pending = null;
  }

  /** Whether a frame is still to come. */
  get waiting() {
    return this.busy || this.pending !== null;
  }

  /**
   * The newest vectors, with the method's parameters, run as soon as the worker is free.
   * @param {import('./protocol.js').ProjectionVectorsEvent} vectors @param {() => object} params
   */
  queue(vectors, params) {
    this.pending = vectors;
    this.params = params;
    this.feed();
  }

  cancel() {
    this.pending = null;
    this.worker?.postMessage({ type: 'cancel' });
  }

  feed() {
    if (this.busy || !this.pending || !this.params) return;
    const v = this.pending;
    this.pending = null;
    this.busy = true;
    this.start().postMessage({
      type: 'run', key: v.key, method: v.method, step: v.step, count: v.count, dims: v.dims,
      vectors: v.vectors, params: this.params(),
    }, [v.vectors.buffer]);
  }

  start() {
    if (this.worker) return this.worker;
    this.worker = new Worker(new URL('./projection-worker.js', import.meta.url), { type: 'module' });
    this.worker.onmessage = ({ data }) => {
      if (data.type === 'frame') this.on.frame(data);
      else if (data.type === 'error') this.on.error(data.message);
      else if (data.type === 'done') { this.busy = false; this.feed(); this.on.idle(); }
    };
    this.worker.onerror = (e) => {
      e.preventDefault();
      this.busy = false;
      this.on.error(`the projection worker failed: ${e.message || 'could not load www/projection-worker.js'}`);
    };
    return this.worker;
  }
}
