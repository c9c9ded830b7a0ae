// Types and small helpers of 公开承诺 and 到社区报到 / volunteer service (from the generated schema).
import type { components } from '@/shared/api/schema'
import { formErrors } from '@/shared/api/problem'

type S = components['schemas']
export type Commitment = S['Commitment']
export type CommitmentBoard = S['CommitmentBoard']
export type MemberCommitments = S['MemberCommitments']
export type MemberVolunteer = S['MemberVolunteer']
export type VolunteerRecord = S['VolunteerRecord']
export type VolunteerRegistration = S['VolunteerRegistration']
export type VolunteerCommunity = S['VolunteerCommunity']

/** The tag colour of a commitment's or a record's state. */
export function stateType(state: string): 'success' | 'warning' | 'info' | 'danger' | 'primary' {
  switch (state) {
    case 'kept':
    case 'confirmed':
      return 'success'
    case 'draft':
    case 'pending':
      return 'warning'
    case 'not_kept':
    case 'rejected':
      return 'danger'
    default:
      return 'info'
  }
}

/** Hours as people write them: 2, 1.5. */
export function hours(h: number): string {
  return Number.isInteger(h) ? String(h) : h.toFixed(1)
}

/** Commitments grouped by member, in the board's order (the print page lists one member a row). */
export function byMember(items: Commitment[]): { member: string; items: Commitment[] }[] {
  const out: { member: string; items: Commitment[] }[] = []
  for (const c of items) {
    const last = out[out.length - 1]
    if (last && last.member === c.member_name) last.items.push(c)
    else out.push({ member: c.member_name, items: [c] })
  }
  return out
}

/**
 * What a form shows when the server refuses it: each field's message (they name the field, in
 * the reader's language), or the general one.
 */
export function refusal(e: unknown, t: Parameters<typeof formErrors>[1]): string {
  const fe = formErrors(e, t)
  const fields = Object.values(fe.fields)
  return fields.length ? fields.join('；') : fe.message
}
