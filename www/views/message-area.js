// @ts-check
//! Errors from the worker, the divergence warning, and the messages that keep the user's work:
//! Undo after a model was replaced (undo.js), "Restored your model" with Start fresh
//! (autosave.js), a crash the page recovered from, storage refused, a new version of the site
//! ready (offline.js). Each has a close button. A
//! new model clears the errors; the others stay until answered or dismissed.

/** @typedef {'error' | 'diverged' | 'undo' | 'restored' | 'crashed' | 'notice' | 'update'} Kind */

/** Kinds a new model does not clear: they are about the user's work, not this model. */
const STICKY = new Set(['undo', 'restored', 'crashed', 'notice', 'update']);

export class MessageArea {
  /** @param {HTMLElement} container */
  constructor(container) {
    this.container = container;
    /** Called with a worker command ({type: 'undo'} or {type: 'startFresh'}). */
    this.onCommand = (/** @type {any} */ _command) => {};
  }

  /** Clears what a new model makes stale. */
  reset() {
    for (const el of [...this.container.children]) {
      if (!STICKY.has(/** @type {HTMLElement} */ (el).dataset.kind ?? '')) el.remove();
    }
  }

  /** @param {any} event */
  update(event) {
    switch (event.type) {
      case 'session': if (!event.continued) this.reset(); break;
      case 'error': this.show('error', event.message); break;
      case 'diverged': this.show('diverged', event.message); break;
      case 'undoable':
        this.remove('undo');
        if (event.what) {
          this.show('undo', `${event.what}: the model from step ${event.step.toLocaleString('en')} was replaced.`,
            { label: 'Undo', command: { type: 'undo' } });
        }
        break;
      case 'restored': {
        this.remove('restored');
        const when = ago(Date.now() - event.savedAt);
        const text = event.crash
          ? `The training worker crashed (${event.crash}). It restarted and reopened your model from step ` +
            `${event.step.toLocaleString('en')}, saved ${when}.`
          : `Restored your model from step ${event.step.toLocaleString('en')}, ${when}.`;
        this.show('restored', text, { label: 'Start fresh', command: { type: 'startFresh' } });
        break;
      }
      case 'crashed':
        this.show('crashed', `The training worker crashed (${event.message}). It is restarting with your model as saved last.`);
        break;
      case 'autosaved':
        if (!event.ok && event.message) this.show('notice', event.message);
        break;
    }
  }

  /** @param {Kind} kind */
  remove(kind) {
    for (const el of [...this.container.children]) {
      if (/** @type {HTMLElement} */ (el).dataset.kind === kind) el.remove();
    }
  }

  /**
   * @param {Kind} kind @param {string} text
   * @param {{ label: string, command?: object, run?: () => void }} [action] a button that sends
   *   `command` to the worker (or calls `run`) and closes the message
   */
  show(kind, text, action) {
    // The same text twice (a repeated click) shows once.
    for (const el of this.container.children) {
      if (/** @type {HTMLElement} */ (el).dataset.text === text) return;
    }
    // A restart's own message replaces the one that said it was restarting.
    if (kind === 'restored') this.remove('crashed');
    const box = document.createElement('div');
    box.className = 'message';
    box.dataset.kind = kind;
    box.dataset.text = text;
    box.dataset.testid = `${kind}-message`;
    box.setAttribute('role', kind === 'error' || kind === 'crashed' ? 'alert' : 'status');
    const p = document.createElement('p');
    p.textContent = text;
    box.append(p);
    if (action) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'message-action';
      button.textContent = action.label;
      button.addEventListener('click', () => {
        box.remove();
        if (action.command) this.onCommand(action.command);
        action.run?.();
      });
      box.append(button);
    }
    const close = document.createElement('button');
    close.type = 'button';
    close.textContent = '×';
    close.setAttribute('aria-label', 'Dismiss');
    close.addEventListener('click', () => box.remove());
    box.append(close);
    this.container.append(box);
  }
}

/** "3 minutes ago", "just now". @param {number} ms */
function ago(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 10) return 'just now';
  if (s < 90) return `${s} seconds ago`;
  const m = Math.round(s / 60);
  if (m < 90) return `${m} minutes ago`;
  const h = Math.round(m / 60);
  if (h < 36) return `${h} hours ago`;
  return `${Math.round(h / 24)} days ago`;
}
