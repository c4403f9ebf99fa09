// One colour per daily max, shared by the heatmap, its legend and the distribution: the
// threshold of criterion 3 (3 at once) is where the blues turn dark.
export const MAX_COLOURS = ['#f1f3f6', '#dbe4ff', '#91a7ff', '#4c6ef5', '#364fc7', '#1c2f8f'] as const;

export function colourOf(max: number): string {
  return MAX_COLOURS[Math.min(Math.max(max, 0), MAX_COLOURS.length - 1)]!;
}

/** Ink that stays readable on the cell's colour. */
export const inkOf = (max: number) => (max >= 3 ? '#ffffff' : '#1b2230');

/** A length of time at the precision it needs: 40 s, 12 min, 3.5 h. */
export function hours(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}
