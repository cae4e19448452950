// @ts-check
//! Binds the named inputs of a settings form to one section of Settings (`data`, `train`, …):
//! fills them from the settings, and turns a committed change into an edit.

/**
 * @param {HTMLFormElement} form inputs carry `name` = the key inside the section
 * @param {string} section
 * @param {(edit: (s: Record<string, any>) => void) => void} onEdit
 * @returns {(settings: Record<string, any>, force?: boolean) => void} fills the form from
 *   settings; unless `force`, the field being edited is left alone
 */
export function bindFields(form, section, onEdit) {
  form.addEventListener('submit', (e) => e.preventDefault());
  for (const input of fieldsOf(form)) {
    const output = form.querySelector(`output[for="${input.id}"]`);
    if (output) input.addEventListener('input', () => { output.textContent = input.value; });
    input.addEventListener('change', () => {
      const value = valueOf(input);
      if (value === undefined) return;
      onEdit((s) => { s[section][input.name] = value; });
    });
  }
  return (settings, force = false) => {
    const values = settings[section] ?? {};
    for (const input of fieldsOf(form)) {
      if (!(input.name in values) || (!force && document.activeElement === input)) continue;
      if (input instanceof HTMLInputElement && input.type === 'checkbox') input.checked = Boolean(values[input.name]);
      else input.value = String(values[input.name]);
      const output = form.querySelector(`output[for="${input.id}"]`);
      if (output) output.textContent = input.value;
    }
  };
}

/** @param {HTMLFormElement} form @returns {(HTMLInputElement | HTMLSelectElement)[]} */
function fieldsOf(form) {
  return [...form.querySelectorAll('input[name], select[name]')].map((e) =>
    /** @type {HTMLInputElement | HTMLSelectElement} */ (e));
}

/**
 * The typed value of a field, or undefined when it is not a number where one is needed (the
 * worker checks ranges, so its message reaches the user).
 * @param {HTMLInputElement | HTMLSelectElement} input
 */
export function valueOf(input) {
  if (input instanceof HTMLSelectElement) return input.value;
  if (input.type === 'number' || input.type === 'range') {
    const n = Number(input.value);
    return input.value.trim() === '' || !Number.isFinite(n) ? undefined : n;
  }
  if (input.type === 'checkbox') return input.checked;
  return input.value;
}
