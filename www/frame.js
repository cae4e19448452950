// @ts-check
//! Painting once per frame. Training posts reports faster than a screen refreshes (a small MLP,
//! dozens of boundaries a second); a view that painted each one would keep the page's thread busy
//! painting pictures nobody sees, and the worker's later messages (a Pause's answer among them)
//! would wait behind them for seconds. So a view keeps the newest report and paints it once, on
//! the next animation frame.

/**
 * `paint`, asked for any number of times, runs once on the next animation frame.
 * @param {() => void} paint @returns {() => void} the ask
 */
export function onNextFrame(paint) {
  let frame = 0;
  return () => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      paint();
    });
  };
}
