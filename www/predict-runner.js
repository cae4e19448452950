// @ts-check
//! The worker's predict commands (issue 19, item 1): the model in force at a point of the plane
//! (the boundary's probe), on a file of new rows, and a text classifier on a typed text
//! (src/web/predict.rs). Each reads the model
//! as it is now, trained or training; a refused file changes nothing.

/** @typedef {import('./protocol.js').Post} Post */

/**
 * @param {() => import('../pkg/kindling.js').Session | null} current the session in force
 * @param {Post} post
 */
export function predictCommands(current, post) {
  return {
    /** @param {{ x: number, y: number }} cmd */
    async outputAt(cmd) {
      const session = current();
      if (!session) return;
      const values = await session.outputAt(cmd.x, cmd.y);
      post({ type: 'outputAt', x: cmd.x, y: cmd.y, values }, [values.buffer]);
    },
    /** @param {{ name: string, bytes: ArrayBuffer }} cmd */
    async predictFile(cmd) {
      const session = current();
      if (!session) return;
      const result = await session.predictFile(cmd.name, new Uint8Array(cmd.bytes));
      post({ type: 'predictedFile', name: cmd.name, ...result });
    },
    /** @param {{ text: string }} cmd */
    async classifyText(cmd) {
      const session = current();
      if (!session) return;
      const result = await session.classifyText(cmd.text);
      post({ type: 'textClasses', text: cmd.text, ...result });
    },
  };
}
