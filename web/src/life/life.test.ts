import { describe, expect, test } from 'vitest'
import {
  reviewTally, lineStart,
  attachmentProblem, formatSize, isBranchKind, normalizeCode,
  attendanceCounts, cstInputToIso, cstToday, findingsByPeriod, formatRate, groupByMonth, isoToCstInput, monthsOfQuarter,
  periodChoices, periodKind, periodOf, quarterOfMonth, sortFindings, statusMark,
} from './life'

describe('periods in China Standard Time', () => {
  test('an instant late on the 31st UTC is already the next month in CST', () => {
    const d = new Date('2026-06-30T16:30:00Z') // 2026-07-01 00:30 CST
    expect(periodOf(d, 'month')).toBe('2026-07')
    expect(periodOf(d, 'quarter')).toBe('2026-Q3')
    expect(periodOf(d, 'year')).toBe('2026')
    expect(periodOf(new Date('2026-12-31T16:00:00Z'), 'year')).toBe('2027')
    expect(cstToday(new Date('2026-11-22T23:43:00Z'))).toBe('2026-11-23')
  })
  test('kinds and quarters', () => {
    expect(periodKind('2026')).toBe('year')
    expect(periodKind('2026-Q3')).toBe('quarter')
    expect(periodKind('2026-07')).toBe('month')
    expect(periodKind('2026-13')).toBeUndefined()
    expect(quarterOfMonth('2026-07')).toBe('2026-Q3')
    expect(quarterOfMonth('2026-12')).toBe('2026-Q4')
    expect(monthsOfQuarter('2026-Q1')).toEqual(['2026-01', '2026-02', '2026-03'])
  })
  test('choices go back across the year boundary', () => {
    const now = new Date('2026-02-10T00:00:00Z')
    expect(periodChoices('month', now, 3)).toEqual(['2026-02', '2026-01', '2025-12'])
    expect(periodChoices('quarter', now, 3)).toEqual(['2026-Q1', '2025-Q4', '2025-Q3'])
    expect(periodChoices('year', now, 2)).toEqual(['2026', '2025'])
  })
  test('picker values ⇄ instants', () => {
    expect(cstInputToIso('2026-11-20T09:00')).toBe('2026-11-20T09:00:00+08:00')
    expect(cstInputToIso('2026-11-20 09:00:00')).toBe('2026-11-20T09:00:00+08:00')
    expect(isoToCstInput('2026-11-20T01:00:00Z')).toBe('2026-11-20T09:00')
    expect(isoToCstInput('2026-11-30T17:00:00Z')).toBe('2026-12-01T01:00')
    expect(isoToCstInput(null)).toBe('')
  })
})

describe('grouping', () => {
  test('activities by CST month, in time order, other years left out', () => {
    const items = [
      { id: 1, starts_at: '2026-03-10T01:00:00Z' },
      { id: 2, starts_at: '2026-02-28T17:00:00Z' }, // 03-01 01:00 CST
      { id: 3, starts_at: '2025-12-31T15:00:00Z' }, // 2025-12-31 23:00 CST
      { id: 4, starts_at: '2026-12-31T16:00:00Z' }, // 2027-01-01 CST
      { id: 5, starts_at: '2026-01-05T01:00:00Z' },
    ]
    const g = groupByMonth(items, 2026)
    expect(g).toHaveLength(12)
    expect(g[0]).toEqual({ month: '2026-01', items: [items[4]] })
    expect(g[1].items).toEqual([])
    expect(g[2].items.map((a) => a.id)).toEqual([2, 1])
    expect(g.flatMap((m) => m.items).map((a) => a.id)).not.toContain(3)
    expect(g.flatMap((m) => m.items).map((a) => a.id)).not.toContain(4)
  })
  test('findings by period, the ones needing attention first', () => {
    const f = [
      { rule_id: 'b', period: '2026-07', status: 'met' },
      { rule_id: 'a', period: '2026-07', status: 'missing' },
      { rule_id: 'c', period: '2026', status: 'due_soon' },
    ]
    const m = findingsByPeriod(f)
    expect(m.get('2026-07')).toHaveLength(2)
    expect(m.get('2026')).toHaveLength(1)
    expect(sortFindings(m.get('2026-07')!).map((x) => x.status)).toEqual(['missing', 'met'])
    expect(statusMark('met')).toBe('✓')
    expect(statusMark('missing')).toBe('✗')
  })
})

describe('attendance', () => {
  test('the rate leaves exempted members out', () => {
    const rows = [{ state: 'present' }, { state: 'present' }, { state: 'leave' }, { state: 'absent' }, { state: 'exempt' }]
    const c = attendanceCounts(rows)
    expect(c).toMatchObject({ total: 5, present: 2, leave: 1, absent: 1, exempt: 1, expected: 4 })
    expect(c.rate).toBe(0.5)
    expect(formatRate(c.rate, 'zh-CN')).toBe('50%')
    expect(formatRate(26 / 29, 'en-US')).toBe('89.7%')
  })
  test('nobody expected: no rate', () => {
    expect(attendanceCounts([{ state: 'exempt' }]).rate).toBeNull()
    expect(formatRate(null, 'zh-CN')).toBe('—')
  })
})

// What GET /api/v1/meta/facts answers (internal/life/attachments, org.BranchLevelKinds).
const facts = {
  attachment_exts: ['.doc', '.docx', '.gif', '.jpeg', '.jpg', '.pdf', '.png', '.ppt', '.pptx', '.txt', '.webp', '.xls', '.xlsx'],
  attachment_max_bytes: 20 * 1024 * 1024,
  branch_kinds: ['branch', 'joint_branch', 'temp_branch', 'group'],
}

describe('attachments and sign-in', () => {
  test('only the types and size the server accepts', () => {
    const ATTACHMENT_MAX_BYTES = facts.attachment_max_bytes
    expect(attachmentProblem({ name: '会议照片.PNG', size: 1000 }, facts)).toBeNull()
    expect(attachmentProblem({ name: 'minutes.docx', size: 1000 }, facts)).toBeNull()
    expect(attachmentProblem({ name: 'run.exe', size: 1000 }, facts)).toBe('type')
    expect(attachmentProblem({ name: 'noext', size: 1000 }, facts)).toBe('type')
    expect(attachmentProblem({ name: 'big.pdf', size: ATTACHMENT_MAX_BYTES + 1 }, facts)).toBe('size')
    expect(attachmentProblem({ name: 'big.pdf', size: ATTACHMENT_MAX_BYTES }, facts)).toBeNull()
    expect(attachmentProblem({ name: 'empty.txt', size: 0 }, facts)).toBe('empty')
  })
  test('the rules are the server\'s, not a copy', () => {
    const strict = { attachment_exts: ['.pdf'], attachment_max_bytes: 1000 }
    expect(attachmentProblem({ name: 'photo.jpg', size: 10 }, strict)).toBe('type')
    expect(attachmentProblem({ name: 'a.pdf', size: 1001 }, strict)).toBe('size')
    expect(attachmentProblem({ name: 'a.pdf', size: 1000 }, strict)).toBeNull()
  })
  test('branch kinds come from the server', () => {
    expect(isBranchKind('group', facts.branch_kinds)).toBe(true)
    expect(isBranchKind('general_branch', facts.branch_kinds)).toBe(false)
    expect(isBranchKind('branch', undefined)).toBe(false) // not yet loaded
  })
  test('sizes', () => {
    expect(formatSize(512, 'en-US')).toBe('512 B')
    expect(formatSize(1536, 'en-US')).toBe('1.5 KB')
    expect(formatSize(20 * 1024 * 1024, 'zh-CN')).toBe('20 MB')
  })
  test('codes keep digits only', () => {
    expect(normalizeCode(' 12 34-5678')).toBe('123456')
    expect(normalizeCode('ab')).toBe('')
  })
})

describe('民主评议', () => {
  test('the cap comes from the server (the pack), the tally from the rows', () => {
    const rows = [{ grade: 'excellent' }, { grade: 'excellent' }, { grade: 'qualified' }, { grade: '' }]
    expect(reviewTally(rows, 1)).toEqual({ graded: 3, excellent: 2, cap: 1, over: true })
    expect(reviewTally(rows.slice(1), 1).over).toBe(false)
    expect(reviewTally(rows, undefined).over).toBe(false)
  })
})

describe('lineStart', () => {
  test('finds the start of a 1-based line', () => {
    const text = 'id: x\nname: 规则\n\nrules:\n'
    expect(lineStart(text, 1)).toBe(0)
    expect(lineStart(text, 2)).toBe(6)
    expect(text.slice(lineStart(text, 4))).toBe('rules:\n')
    expect(lineStart(text, 3)).toBe(text.indexOf('\n\n') + 1)
  })
  test('stops at the end of the text for lines past it', () => {
    expect(lineStart('a\nb', 9)).toBe(3)
  })
})
