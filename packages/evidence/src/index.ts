export { type PersonLevel, type VarianceScope, variancePersonLevel, viewVariance } from './variance/view-variance.ts';
export {
  type TVarianceFactor,
  type TVariancePerson,
  type TVarianceView,
  VARIANCE_FACTORS,
  ZVariancePerson,
  ZVarianceView,
} from './variance/variance-view.schema.ts';
