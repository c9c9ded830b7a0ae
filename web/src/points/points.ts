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
