'use client';

import { DEFINITIONS, type MetricTerm } from '@parallax/metrics';
import { useId } from 'react';

/**
 * Cites a figure's METRICS.md definition where the figure is shown: a small mark that shows the
 * quoted definition on hover or focus (and to screen readers as the mark's description).
 */
export function MetricNote({ term, label }: { term: MetricTerm; label?: string }) {
  const id = useId();
  return (
    <span className="metric-note">
      <button type="button" className="metric-note-mark" aria-describedby={id} aria-label={`Definition: ${label ?? term}`}>
        i
      </button>
      <span role="tooltip" id={id} className="metric-note-text">
        <strong>{term}</strong> (METRICS.md): {DEFINITIONS[term].replace(/^[^:]*:\s*/, '')}
      </span>
    </span>
  );
}
