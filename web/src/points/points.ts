// Types and small helpers of 党员积分 (the API's types, from the generated schema).
import type { components } from '@/shared/api/schema'

type S = components['schemas']
export type MemberYear = S['MemberYear']
export type PointsEntry = S['PointsEntry']
export type PointsClaim = S['Claim']
export type ItemView = S['ItemView']

/** Points with their sign, as a ledger shows them: +2, −5, 0. */
export function signed(n: number): string {
  return n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0'
}

/** The reason of an entry in the reader's language (the server keeps both). */
export function reasonOf(e: Pick<PointsEntry, 'reason' | 'reason_en'>, locale: string): string {
  return locale.startsWith('en') ? e.reason_en || e.reason : e.reason
}

export type PointsSummary = S['PointsSummary']
export type MemberTotal = S['MemberTotal']
export type Band = S['PointsBand']

/** A band's label: its name in the scheme, "3★" when the scheme names none, 未达星级 for 0. */
export function bandLabel(b: Pick<Band, 'stars' | 'name'>, t: (k: string) => string): string {
  if (b.stars === 0) return t('points.noStar')
  return b.name || `${b.stars}★`
}

/** A band's share of the members with points, as a whole percent ("12%"; "0%" of none). */
export function bandShare(n: number, of: number): string {
  return of > 0 ? `${Math.round((n * 100) / of)}%` : '0%'
}
export type PointsImportReport = S['PointsImportReport']
