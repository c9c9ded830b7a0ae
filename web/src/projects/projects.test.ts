import { describe, expect, it } from 'vitest'
import { decisionText, milestoneStatus, projectBody, stateTag } from './projects'

describe('projects helpers', () => {
  it('colours states', () => {
    expect(stateTag('approved')).toBe('primary')
    expect(stateTag('rejected')).toBe('danger')
    expect(stateTag('carried')).toBe('info')
  })
  it('asks for words where the server requires them', () => {
    expect(decisionText('approve')).toBeNull()
    expect(decisionText('return')).toBe('reason')
    expect(decisionText('evaluate')).toBe('comment')
  })
  it('tells a milestone done late from overdue', () => {
    expect(milestoneStatus({ done_date: '2026-04-11', late: true, overdue: false })).toBe('late')
    expect(milestoneStatus({ done_date: '', late: false, overdue: true })).toBe('overdue')
    expect(milestoneStatus({ done_date: '', late: false, overdue: false })).toBe('open')
  })
  it('drops empty milestone rows but keeps half-filled ones for the server to name', () => {
    const b = projectBody({ year: 2026, title: 't', problem: 'p', goal: 'g', measures: 'm', responsible: 'r',
      milestones: [{ title: '', due_date: '' }, { title: 'a', due_date: '' }] })
    expect(b.milestones).toEqual([{ title: 'a', due_date: '' }])
  })
})
