/**
 * Preact runs `useEffect` callbacks after the next animation frame, so every render that has an
 * effect asks the browser for a frame: on a chart page, a main frame and a compositor commit each
 * second for a snapshot that changed nothing on screen (the trace showed BeginMainFrame and Commit
 * as the overlay's largest costs on a still chart). Effects run after a task instead; what draws
 * (ChartBands' canvas, uPlot) still asks for its own frame when, and only when, it has pixels to
 * change. Called once by each UI entrypoint before its first render.
 */
import { options } from 'preact';

export function runEffectsWithoutFrames(): void {
  options.requestAnimationFrame = (callback) => void setTimeout(callback);
}
