// Tasks cascaded level by level (docs/TASKS.md): the API's types and the small pure helpers the
// pages share. Every figure comes from the server's maintained rollups; nothing is counted here.
import type { components } from '@/shared/api/schema'

type S = components['schemas']
export type Task = S['Task']
export type Figures = S['TaskFigures']
export type Assignment = S['TaskAssignment']
export type OrgFigures = S['TaskOrgFigures']
export type NewTask = S['NewTask']
export type Selector = S['TaskSelector']

export const STATES = ['issued', 'accepted', 'in_progress', 'submitted', 'verified', 'returned', 'closed'] as const
export type Action = 'accept' | 'start' | 'submit' | 'verify' | 'return' | 'close'

/** The tag colour of an assignment's state (overdue wins). */
export function stateTag(state: string, overdue = false): 'success' | 'danger' | 'warning' | 'info' | 'primary' {
  if (overdue) return 'danger'
  switch (state) {
    case 'verified':
    case 'closed':
      return 'success'
    case 'returned':
      return 'danger'
    case 'submitted':
      return 'warning'
    case 'in_progress':
    case 'accepted':
      return 'primary'
  }
  return 'info'
}

/** The completion rate as a percentage with one decimal ("—" without assignments). */
export function ratePercent(f: Pick<Figures, 'rate' | 'total'> | null | undefined): string {
  if (!f || !f.total) return '—'
  return `${(Math.round(f.rate * 1000) / 10).toFixed(1)}%`
}

/** The moves that need words: a note (submit) or a reason (return). */
export function needsText(a: Action): 'note' | 'reason' | null {
  return a === 'submit' ? 'note' : a === 'return' ? 'reason' : null
}

/** The main move of a row is the first offered; verify before return. */
export function primaryAction(actions: readonly string[]): Action | null {
  return (actions[0] as Action | undefined) ?? null
}

/** The body of a new task from the form: a due date or a cycle, never both. */
export interface TaskForm {
  title: string
  description: string
  target: number | null
  target_unit: string
  mode: 'once' | 'monthly' | 'quarterly'
  due_date: string
  year: number
  lead_days: number
  weight: number
  evidence: string
  evidence_required: boolean
  to: 'children' | 'branches' | 'kinds'
  kinds: string[]
  field: string
}

/** 所有党支部: the branch-level kinds the server reports (/api/v1/meta/facts) but the 党小组, which is
 * part of its branch and does not receive tasks of its own unless chosen. */
export function branchKindsOf(branchLevel: readonly string[]): string[] {
  return branchLevel.filter((k) => k !== 'group')
}

export function taskBody(f: TaskForm, branchLevel: readonly string[]): NewTask {
  const to: Selector =
    f.to === 'children' ? { children: true } : { kinds: f.to === 'branches' ? branchKindsOf(branchLevel) : f.kinds }
  if (f.field) to.field = f.field
  const body: NewTask = { title: f.title, description: f.description, target_unit: f.target_unit, weight: f.weight, evidence: f.evidence, evidence_required: f.evidence_required, to }
  if (f.target !== null) body.target = f.target
  if (f.mode === 'once') body.due_date = f.due_date
  else Object.assign(body, { cycle: f.mode, year: f.year, lead_days: f.lead_days })
  return body
}
