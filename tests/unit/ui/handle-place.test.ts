/** The overlay handle: where it sits by default, and where a drag puts it, kept on the pane. */
import { describe, expect, it } from 'vitest';
import { HANDLE_KEY_STEP_PX, HANDLE_TOP_PX, handlePoint, placeAt, placeForKey } from '../../../lib/ui/handle-place';

const pane = { x: 10, y: 40, width: 1000, height: 600 };

describe('the overlay handle’s place', () => {
  it('sits at the middle of the pane’s top edge until dragged', () => {
    expect(handlePoint(pane, undefined)).toEqual({ x: 510, y: 40 + HANDLE_TOP_PX });
  });

  it('keeps a drop as shares of the pane, and follows the pane when it is resized', () => {
    const place = placeAt(pane, { x: 810, y: 100 });
    expect(place).toEqual({ x: 0.8, y: 0.1 });
    expect(handlePoint(pane, place)).toEqual({ x: 810, y: 100 });
    expect(handlePoint({ ...pane, width: 500 }, place).x).toBe(410);
  });

  it('never leaves the pane: a drop outside lands on its edge, with room for the handle at the bottom', () => {
    expect(placeAt(pane, { x: -50, y: -50 })).toEqual({ x: 0, y: 0 });
    const low = placeAt(pane, { x: 5_000, y: 5_000 });
    expect(low.x).toBe(1);
    expect(pane.y + low.y * pane.height).toBeLessThanOrEqual(pane.y + pane.height - 24);
  });

  it('moves by arrow keys (Shift: four steps), stays on the pane, and Home puts it back', () => {
    const start = handlePoint(pane, undefined);
    const right = placeForKey(pane, undefined, { key: 'ArrowRight' })!;
    // Kept as shares to 1/1000 of the pane: within half a pixel of the step.
    expect(handlePoint(pane, right).x).toBeCloseTo(start.x + HANDLE_KEY_STEP_PX, 0);
    expect(Math.abs(handlePoint(pane, right).y - start.y)).toBeLessThanOrEqual(0.5);
    const down = placeForKey(pane, right, { key: 'ArrowDown', shiftKey: true })!;
    expect(handlePoint(pane, down).y).toBeCloseTo(start.y + 4 * HANDLE_KEY_STEP_PX, 0);
    // At the top edge already: up keeps it on the pane.
    expect(placeForKey(pane, { x: 0.5, y: 0 }, { key: 'ArrowUp' })).toEqual({ x: 0.5, y: 0 });
    expect(placeForKey(pane, right, { key: 'Home' })).toBeNull();
    expect(placeForKey(pane, right, { key: 'Enter' })).toBeUndefined(); // Enter still opens the panel
  });
});
