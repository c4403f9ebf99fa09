// The Parallel sessions page's queries (issue 9): live concurrency, the heatmap of daily max,
// the distribution of criterion 3 and one developer's day.
export { getDeveloperDay } from './developer-day.ts';
export { getParallelDistribution } from './distribution.ts';
export { getConcurrencyHeatmap, HEATMAP_PAGE, HEATMAP_PAGE_MAX, type HeatmapCell, type HeatmapPage } from './heatmap.ts';
export { getLiveConcurrency } from './live.ts';
export type { Person } from './people.ts';
export type { ParallelScope } from './scope.ts';
