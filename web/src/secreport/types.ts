// The 整改事项 / 述职评议 / 分类定级 types, from the generated API description.
import type { components } from '@/shared/api/schema'

type S = components['schemas']
export type RectifyItem = S['RectifyItem']
export type Report = S['SecreportReport']
export type Round = S['SecreportRound']
export type SrRules = S['SecreportRules']
export type Tally = S['SecreportTally']
export type Overview = S['ClassifyOverview']
export type Standing = S['ClassifyStanding']
export type Plan = S['ClassifyPlan']
export type Proposal = S['ClassifyProposal']

/** The tag type of an item's state. */
export function stateTag(state: string, overdue: boolean): 'danger' | 'warning' | 'success' | 'info' | 'primary' {
  if (state === 'closed') return 'success'
  if (overdue) return 'danger'
  if (state === 'submitted') return 'primary'
  if (state === 'returned') return 'warning'
  return 'info'
}

/** Votes of a report as a table: group code → grade code → count. */
export function voteGrid(rules: SrRules, votes: Tally[]): Record<string, Record<string, number>> {
  const g: Record<string, Record<string, number>> = {}
  for (const gr of rules.groups) {
    g[gr.code] = {}
    for (const d of rules.grades) g[gr.code][d.code] = 0
  }
  for (const v of votes) if (g[v.group]) g[v.group][v.grade] = v.n
  return g
}

/** The grid back as tallies (zeros left out). */
export function tallies(grid: Record<string, Record<string, number>>): Tally[] {
  const out: Tally[] = []
  for (const [group, row] of Object.entries(grid)) for (const [grade, n] of Object.entries(row)) if (n > 0) out.push({ group, grade, n })
  return out
}

/** Last year (CST), the default year of a 述职 round. */
export function lastYear(now = Date.now()): number {
  return Number(new Date(now + 8 * 3600_000).toISOString().slice(0, 4)) - 1
}
