// The rubber band's arithmetic: how a band combines with the selection before it (replace, Shift extends, Ctrl/Cmd
// toggles), which boxes it touches, and how fast the grid scrolls as the pointer nears an edge.
import { describe, expect, it } from 'vitest';
import { bandMode, bandRect, combineSelection, edgeScrollSpeed, intersects } from '../../src-renderer/selection/rubber-band';

describe('rubber band', () => {
  it('chooses the mode from the keys held', () => {
    expect(bandMode({ shiftKey: false, ctrlKey: false, metaKey: false })).toBe('replace');
    expect(bandMode({ shiftKey: true, ctrlKey: false, metaKey: false })).toBe('extend');
    expect(bandMode({ shiftKey: false, ctrlKey: true, metaKey: false })).toBe('toggle');
    expect(bandMode({ shiftKey: true, ctrlKey: false, metaKey: true })).toBe('toggle');
  });

  it('replaces, extends or toggles the earlier selection', () => {
    const before = new Set([1, 2, 3]);
    expect([...combineSelection(before, [3, 4], 'replace')]).toEqual([3, 4]);
    expect([...combineSelection(before, [3, 4], 'extend')].sort()).toEqual([1, 2, 3, 4]);
    expect([...combineSelection(before, [3, 4], 'toggle')].sort()).toEqual([1, 2, 4]);
    expect([...before]).toEqual([1, 2, 3]);
  });

  it('draws the same band whichever way the pointer went, and touches boxes that overlap it', () => {
    expect(bandRect({ x: 50, y: 80 }, { x: 10, y: 20 })).toEqual({ left: 10, top: 20, width: 40, height: 60 });
    const band = bandRect({ x: 0, y: 0 }, { x: 100, y: 100 });
    expect(intersects(band, { left: 99, top: 99, width: 10, height: 10 })).toBe(true);
    expect(intersects(band, { left: 100, top: 0, width: 10, height: 10 })).toBe(false);
    expect(intersects(band, { left: -20, top: 40, width: 10, height: 10 })).toBe(false);
  });

  it('scrolls faster the nearer the pointer is to an edge, and not at all in between', () => {
    expect(edgeScrollSpeed(400, 0, 800)).toBe(0);
    expect(edgeScrollSpeed(790, 0, 800)).toBeGreaterThan(edgeScrollSpeed(760, 0, 800));
    expect(edgeScrollSpeed(760, 0, 800)).toBeGreaterThan(0);
    expect(edgeScrollSpeed(5, 0, 800)).toBeLessThan(edgeScrollSpeed(40, 0, 800));
    expect(edgeScrollSpeed(40, 0, 800)).toBeLessThan(0);
    expect(edgeScrollSpeed(900, 0, 800)).toBe(24);
  });
});
