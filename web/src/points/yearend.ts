// Types and small helpers of the points year end (年度评星, 公示, 摘星, 申诉).
import type { components } from '@/shared/api/schema'
import { formErrors } from '@/shared/api/problem'

type S = components['schemas']
export type BranchYear = S['BranchYear']
export type Rating = S['Rating']
export type ObjectionAt = S['ObjectionAt']
export type MemberRating = S['MemberRating']
export type Appeal = S['Appeal']
export type StarBand = S['StarBand']
export type YearEndSummary = S['YearEndSummary']

/** Stars as the page shows them: ★★★, or — for none. */
export function starsText(n: number): string {
  return n > 0 ? '★'.repeat(n) : '—'
}

/** The levels a rating may be given: the bands' stars, highest first, and 0 (none). */
export function starOptions(bands: Pick<StarBand, 'stars'>[]): number[] {
  const s = [...new Set(bands.map((b) => b.stars).filter((n) => n > 0))].sort((a, b) => b - a)
  return [...s, 0]
}

type T = (key: string, named?: Record<string, unknown>) => string

/** One line for a failed write: the fields' messages (a 422), else the problem's. */
export function problemText(e: unknown, t: T): string {
  const { fields, message } = formErrors(e, t)
  return Object.values(fields).join('；') || message
}
