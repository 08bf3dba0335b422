import type { Material } from './events.ts'

/** Percentages may carry decimals (33.3 + 33.3 + 33.4); compare at a thousandth of a percent. */
export const materialsAddUp = (materials: readonly Material[]): boolean =>
  materials.length > 0 &&
  materials.every(material => material.percent > 0 && material.percent <= 100) &&
  Math.round(materials.reduce((sum, material) => sum + material.percent, 0) * 1000) === 100_000
