// Pure helpers of the quarterly review page (unit-tested in quarterly.test.ts).
import type { components } from '@/shared/api/schema'
import { cstParts } from '@/life/life'

type Measure = components['schemas']['ReviewMeasure']
type Figure = components['schemas']['ReviewFigure']
type Row = components['schemas']['ReviewRow']

/** The last quarter that has ended (CST), e.g. 2026-Q3 on 2026-11-20 and 2025-Q4 on 2026-02-01. */
export function lastEndedQuarter(now: Date): string {
  const c = cstParts(now)
  const q = Math.ceil(c.m / 3) - 1
  return q === 0 ? `${c.y - 1}-Q4` : `${c.y}-Q${q}`
}

/** A figure as the page shows it: a share as "83%（10/12）", a number as is; "—" when there is nothing to measure. */
export function formatFigure(m: Measure, f: Figure | undefined): string {
  if (!f || (m.share && f.den === 0)) return '—'
  if (m.share) return `${Math.round(f.value * 100)}%（${f.num}/${f.den}）`
  return String(f.value)
}

/** Rows in rank order on a measure; unranked rows last, in their given order. */
export function sortRows(rows: readonly Row[], m: Measure): Row[] {
  const rank = (r: Row) => r.ranks[m.key] ?? Number.MAX_SAFE_INTEGER
  return [...rows].sort((a, b) => rank(a) - rank(b))
}
