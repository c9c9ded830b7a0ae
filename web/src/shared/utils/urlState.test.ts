import { describe, expect, it } from 'vitest'
import {
  MEMBER_DEFAULTS, apiSortToTable, auditApiQuery, auditRouteQuery, memberApiQuery, memberRouteQuery, parseAuditQuery, parseMemberQuery,
  tableSortToApi, toSearchParams,
} from './urlState'

describe('member roster URL state', () => {
  it('an empty query is the default view', () => {
    expect(parseMemberQuery({})).toEqual({ ...MEMBER_DEFAULTS, org: undefined })
    expect(memberRouteQuery(parseMemberQuery({}))).toEqual({})
  })

  it('round-trips every filter', () => {
    const q = {
      org: '12', subtree: 'false', q: '张', status: 'mobile', category: 'probationary', sex: 'female', age_band: '31-40',
      education: 'bachelor', field: 'community', sort: '-join_date', page: '3', page_size: '100',
    }
    const f = parseMemberQuery(q)
    expect(f).toMatchObject({ org: 12, subtree: false, q: '张', status: 'mobile', sort: '-join_date', page: 3, page_size: 100 })
    expect(memberRouteQuery(f)).toEqual(q)
  })

  it('ignores malformed values', () => {
    const f = parseMemberQuery({ org: 'abc', page: '-1', page_size: '9999', sort: 'id_number', subtree: 'maybe' })
    expect(f.org).toBeUndefined()
    expect(f.page).toBe(1)
    expect(f.page_size).toBe(50)
    expect(f.sort).toBe('name')
    expect(f.subtree).toBe(true)
  })

  it('takes the first of repeated parameters and trims text', () => {
    expect(parseMemberQuery({ q: ['  李 ', 'x'], status: [null, 'lost'] })).toMatchObject({ q: '李', status: '' })
  })

  it('builds the API query, with or without paging', () => {
    const f = parseMemberQuery({ org: '5', status: 'active', page: '2' })
    expect(memberApiQuery(f)).toEqual({ org: 5, subtree: true, sort: 'name', status: 'active', page: 2, page_size: 50 })
    expect(memberApiQuery(f, false)).toEqual({ org: 5, subtree: true, sort: 'name', status: 'active' })
    expect(toSearchParams(memberApiQuery(f, false)).toString()).toBe('subtree=true&sort=name&org=5&status=active')
  })

  it('converts table sorting both ways', () => {
    expect(tableSortToApi('join_date', 'descending')).toBe('-join_date')
    expect(tableSortToApi('birth_date', 'ascending')).toBe('birth_date')
    expect(tableSortToApi('name', null)).toBe('name')
    expect(tableSortToApi('phone', 'ascending')).toBe('name')
    expect(apiSortToTable('-name')).toEqual({ prop: 'name', order: 'descending' })
  })
})

describe('audit URL state', () => {
  it('round-trips and drops bad dates', () => {
    const q = { org: '3', entity: 'member', entity_id: '9', user: '4', action: 'update', from: '2026-01-01', to: '2026-02-01', page: '2' }
    expect(auditRouteQuery(parseAuditQuery(q))).toEqual(q)
    expect(parseAuditQuery({ from: '2026/01/01', entity: 'nonsense', user: 'admin' })).toMatchObject({ from: '', entity: '', user: undefined })
  })
  it('sends whole China Standard Time days as instants', () => {
    const a = auditApiQuery(parseAuditQuery({ from: '2026-01-01', to: '2026-01-31', user: '2' }))
    expect(a).toMatchObject({ from: '2026-01-01T00:00:00+08:00', to: '2026-01-31T23:59:59+08:00', user: 2, entity: undefined, page: 1 })
  })
})
