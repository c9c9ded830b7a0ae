// Types and small helpers of 组织考核 (the API's types, from the generated schema).
import type { components } from '@/shared/api/schema'

type S = components['schemas']
export type Round = S['Round']
export type Sheet = S['Sheet']
export type Line = S['Line']
export type Ranked = S['Ranked']
export type Distribution = S['Distribution']
export type Star = S['Star']
export type SetVersion = S['SetVersion']
export type Publicity = S['AssessPublicity']

/** The states of an organization in a round, in the order of the work. */
export const STATES = ['pending', 'returned', 'submitted', 'reviewed', 'awarded'] as const

/** A score as shown: at most two decimals, no trailing zeros. */
export function score(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—'
  return String(Math.round(n * 100) / 100)
}

/** A bound value as shown: shares and rates as percentages, other figures as scores. */
export function boundValue(n: number, binding: string | undefined): string {
  if (binding && /share|rate/.test(binding)) return `${Math.round(n * 1000) / 10}%`
  return score(n)
}

/** Percent of total (0 when there is nothing), for the progress and distribution bars. */
export function percent(n: number, total: number): number {
  return total > 0 ? Math.round((n / total) * 1000) / 10 : 0
}

/** The number of organizations done with a stage: self-assessed means submitted or later. */
export function doneCount(progress: Record<string, number>, stage: 'self' | 'review' | 'award'): number {
  const p = (k: string) => progress[k] ?? 0
  if (stage === 'self') return p('submitted') + p('reviewed') + p('awarded')
  if (stage === 'review') return p('reviewed') + p('awarded')
  return p('awarded')
}

/** Stars as a row of ★ (none: a dash). */
export function starRow(n: number): string {
  return n > 0 ? '★'.repeat(n) : '—'
}

/** Lines grouped by their dimension, in the set's order. */
export function byDimension(lines: Line[]): { dim: string; name: string; lines: Line[] }[] {
  const out: { dim: string; name: string; lines: Line[] }[] = []
  for (const l of lines) {
    let g = out.find((x) => x.dim === l.dim)
    if (!g) out.push((g = { dim: l.dim, name: l.dim_name, lines: [] }))
    g.lines.push(l)
  }
  return out
}
