// @ts-check
//! Errors from the worker and the divergence warning, each with a close button. A new model
//! clears them; messages that come after it stay.

export class MessageArea {
  /** @param {HTMLElement} container */
  constructor(container) {
    this.container = container;
  }

  reset() {
    this.container.replaceChildren();
  }

  /** @param {any} event */
  update(event) {
    switch (event.type) {
      case 'session': this.reset(); break;
      case 'error': this.show('error', event.message); break;
      case 'diverged': this.show('diverged', event.message); break;
    }
  }

  /** @param {'error' | 'diverged'} kind @param {string} text */
  show(kind, text) {
    // The same text twice (a repeated click) shows once.
    for (const el of this.container.children) {
      if (/** @type {HTMLElement} */ (el).dataset.text === text) return;
    }
    const box = document.createElement('div');
    box.className = 'message';
    box.dataset.kind = kind;
    box.dataset.text = text;
    box.dataset.testid = kind === 'error' ? 'error-message' : 'diverged-message';
    const p = document.createElement('p');
    p.textContent = text;
    const close = document.createElement('button');
    close.type = 'button';
    close.textContent = '×';
    close.setAttribute('aria-label', 'Dismiss');
    close.addEventListener('click', () => box.remove());
    box.append(p, close);
    this.container.append(box);
  }
}
