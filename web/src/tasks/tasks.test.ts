import { describe, expect, it } from 'vitest'
import { needsText, primaryAction, ratePercent, stateTag, taskBody, type TaskForm } from './tasks'

const form: TaskForm = {
  title: '开展主题党日', description: '', target: null, target_unit: '', mode: 'once', due_date: '2026-12-31', year: 2026,
  lead_days: 0, weight: 10, evidence: '', evidence_required: false, to: 'branches', kinds: [], field: '',
}

describe('tasks', () => {
  it('reads the rate of the server, one decimal', () => {
    expect(ratePercent({ rate: 1 / 3, total: 3 })).toBe('33.3%')
    expect(ratePercent({ rate: 0, total: 0 })).toBe('—')
    expect(ratePercent({ rate: 1, total: 2 })).toBe('100.0%')
  })
  it('colours overdue before the state', () => {
    expect(stateTag('issued', true)).toBe('danger')
    expect(stateTag('verified')).toBe('success')
    expect(stateTag('submitted')).toBe('warning')
  })
  it('asks for words only where the server needs them', () => {
    expect(needsText('submit')).toBe('note')
    expect(needsText('return')).toBe('reason')
    expect(needsText('accept')).toBeNull()
    expect(primaryAction(['verify', 'return'])).toBe('verify')
    expect(primaryAction([])).toBeNull()
  })
  it('sends a due date or a cycle, never both', () => {
    const once = taskBody(form, ['branch', 'joint_branch', 'group'])
    expect(once.due_date).toBe('2026-12-31')
    expect(once.cycle).toBeUndefined()
    expect(once.to).toEqual({ kinds: ['branch', 'joint_branch'] })
    const q = taskBody({ ...form, mode: 'quarterly', to: 'children', field: 'rural', target: 2 }, [])
    expect(q.due_date).toBeUndefined()
    expect(q).toMatchObject({ cycle: 'quarterly', year: 2026, lead_days: 0, target: 2, to: { children: true, field: 'rural' } })
  })
})
