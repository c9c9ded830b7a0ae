// Secretaries' breakthrough projects (docs/PROJECTS.md): the API's types and the small pure helpers
// the pages share. Counts come from the server's maintained rollups; nothing is counted here.
import type { components } from '@/shared/api/schema'

type S = components['schemas']
export type Project = S['Project']
export type Milestone = S['ProjectMilestone']
export type Overview = S['ProjectOverview']
export type OrgCounts = S['ProjectOrgCounts']
export type DueMilestone = S['DueMilestone']
export type NewProject = S['NewProject']
export type Grades = S['ProjectGrades']

export const STATES = ['proposed', 'returned', 'approved', 'rejected', 'closed', 'carried'] as const
export type Decision = 'approve' | 'return' | 'reject' | 'comment' | 'evaluate'
export const DECISIONS: readonly Decision[] = ['approve', 'return', 'reject', 'comment', 'evaluate']

/** The tag colour of a project's state. */
export function stateTag(state: string): 'success' | 'danger' | 'warning' | 'info' | 'primary' {
  switch (state) {
    case 'approved':
      return 'primary'
    case 'closed':
      return 'success'
    case 'returned':
    case 'rejected':
      return 'danger'
    case 'proposed':
      return 'warning'
  }
  return 'info'
}

/** What a decision asks for in words: a reason (return, reject), a comment (comment, evaluate), or nothing. */
export function decisionText(d: Decision): 'reason' | 'comment' | null {
  if (d === 'return' || d === 'reject') return 'reason'
  if (d === 'comment' || d === 'evaluate') return 'comment'
  return null
}

/** A milestone's line: done (late or on time), overdue, or open. */
export function milestoneStatus(m: Pick<Milestone, 'done_date' | 'late' | 'overdue'>): 'late' | 'done' | 'overdue' | 'open' {
  if (m.done_date) return m.late ? 'late' : 'done'
  return m.overdue ? 'overdue' : 'open'
}

/** The form of a proposal as the dialog edits it; the body drops empty milestone rows. */
export interface ProjectForm {
  year: number
  title: string
  problem: string
  goal: string
  measures: string
  responsible: string
  milestones: { title: string; due_date: string }[]
}

export function projectBody(f: ProjectForm): NewProject {
  return { ...f, milestones: f.milestones.filter((m) => m.title.trim() || m.due_date) }
}
