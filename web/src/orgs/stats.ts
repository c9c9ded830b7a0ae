// Turning the count maps of Stats into ordered, labelled rows for charts and tables.
import type { EnumItem } from '@/shared/api/types'
import type { ChartRow } from './charts'

/**
 * Rows of a count map, in the order of the enumeration (codes unknown to it at the end, by count),
 * labelled from it; zero counts of known codes are kept so that tables are complete.
 */
export function countRows(counts: Record<string, number> | undefined, order: EnumItem[] = [], emptyLabel = '—'): ChartRow[] {
  const c = counts ?? {}
  const known = new Set(order.map((o) => o.code))
  const rows: ChartRow[] = order.map((o) => ({ key: o.code, label: o.label, value: c[o.code] ?? 0 }))
  const rest = Object.entries(c)
    .filter(([k]) => !known.has(k))
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => ({ key: k || '_', label: k || emptyLabel, value: v }))
  const all = [...rows, ...rest]
  // A long enumeration (56 ethnic groups) keeps only the codes that occur.
  return order.length > 12 ? all.filter((r) => r.value > 0) : all
}
