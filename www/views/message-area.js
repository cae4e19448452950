// @ts-check
//! Errors from the worker, the divergence warning, and the messages that keep the user's work:
//! Undo after a model was replaced (undo.js), "Restored your model" with Start fresh
//! (autosave.js), a crash the page recovered from, storage refused, a new version of the site
//! ready (offline.js). Each has a close button. A
//! new model clears the errors; the others stay until answered or dismissed.

import { errorText, onLanguageChange, t } from '../i18n.js';

/** @typedef {'error' | 'diverged' | 'stopped' | 'undo' | 'restored' | 'crashed' | 'notice' | 'update'} Kind */
/** A message's text, written again in another language. @typedef {() => string} Words */

/** Kinds a new model does not clear: they are about the user's work, not this model. */
const STICKY = new Set(['undo', 'restored', 'crashed', 'notice', 'update']);

export class MessageArea {
  /** @param {HTMLElement} container */
  constructor(container) {
    this.container = container;
    /** Called with a worker command ({type: 'undo'} or {type: 'startFresh'}). */
    this.onCommand = (/** @type {any} */ _command) => {};
    /** What each message shown says, to say it again in another language. @type {WeakMap<Element, { words: Words, label?: () => string }>} */
    this.words = new WeakMap();
    onLanguageChange(() => {
      for (const box of this.container.children) {
        const said = this.words.get(box);
        if (!said) continue;
        /** @type {HTMLElement} */ (box.querySelector('p')).textContent = said.words();
        const action = box.querySelector('.message-action');
        if (action && said.label) action.textContent = said.label();
        box.querySelector('.message-close')?.setAttribute('aria-label', t('message.dismiss'));
      }
    });
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
      case 'error': this.show('error', () => errorText(event)); break;
      case 'diverged':
        this.show('diverged', () => t('message.diverged', { step: String(event.step), value: t(`message.diverged.${event.value}`) }));
        break;
      case 'stopped':
        this.show('stopped', () => stoppedText(event.reason));
        break;
      case 'undoable':
        this.remove('undo');
        if (event.what) {
          this.show('undo', () => t('message.undo', { what: t(`undo.${event.what}`), step: event.step }),
            { label: () => t('message.undoButton'), command: { type: 'undo' } });
        }
        break;
      case 'restored': {
        this.remove('restored');
        const when = () => ago(Date.now() - event.savedAt);
        const text = () => (event.crash
          ? t('message.crashRestored', { reason: event.crash, step: event.step, when: when() })
          : t('message.restored', { step: event.step, when: when() }));
        this.show('restored', text, { label: () => t('message.startFresh'), command: { type: 'startFresh' } });
        break;
      }
      case 'crashed':
        this.show('crashed', () => t('message.crashed', { reason: event.message }));
        break;
      case 'autosaved':
        if (!event.ok && event.message) {
          this.show('notice', () => (event.reason !== undefined ? t('message.notKept', { reason: event.reason }) : event.message));
        }
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
   * @param {Kind} kind @param {string | Words} said the text, or what writes it in the language in force
   * @param {{ label: () => string, command?: object, run?: () => void }} [action] a button that sends
   *   `command` to the worker (or calls `run`) and closes the message
   */
  show(kind, said, action) {
    const words = typeof said === 'string' ? () => said : said;
    const text = words();
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
      button.textContent = action.label();
      button.addEventListener('click', () => {
        box.remove();
        if (action.command) this.onCommand(action.command);
        action.run?.();
      });
      box.append(button);
    }
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'message-close';
    close.textContent = '×';
    close.setAttribute('aria-label', t('message.dismiss'));
    close.addEventListener('click', () => box.remove());
    box.append(close);
    this.words.set(box, { words, label: action?.label });
    this.container.append(box);
  }
}

/** "3 minutes ago", "just now". @param {number} ms */
function ago(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 10) return t('ago.now');
  if (s < 90) return t('ago.seconds', { count: s });
  const m = Math.round(s / 60);
  if (m < 90) return t('ago.minutes', { count: m });
  const h = Math.round(m / 60);
  if (h < 36) return t('ago.hours', { count: h });
  return t('ago.days', { count: Math.round(h / 24) });
}

/**
 * Why training stopped by itself, in the page's language (src/train/stopping.rs).
 * @param {import('../protocol.js').StopReason} r
 */
export function stoppedText(r) {
  const loss = (/** @type {number} */ x) => x.toFixed(4);
  switch (r.kind) {
    case 'afterSteps': return t('message.stoppedAfter', { step: r.step.toLocaleString() });
    case 'targetLoss': return t('message.stoppedTarget', { step: r.step.toLocaleString(), loss: loss(r.loss), target: String(r.target) });
    case 'earlyStopping':
      return t(r.restored ? 'message.stoppedEarlyRestored' : 'message.stoppedEarly', {
        step: r.step.toLocaleString(), patience: String(r.patience), bestStep: r.bestStep.toLocaleString(), bestLoss: loss(r.bestLoss),
      });
  }
}
