import { describe, expect, it } from 'vitest'
import { accessOf, canUse, guard, isActive, landing, menuFor, pages, type Access } from './pages'

// The permissions GET /api/v1/me reports for each role (internal/platform/auth rolePerms).
const all = { read_orgs: true, write_members: true, manage_orgs: true, read_audit: true, manage_users: true, use_tokens: true, is_admin: true }
const roles: Record<string, Access> = {
  admin: { perms: all, scopeCount: 1, hasMember: false },
  staff: { perms: { ...all, is_admin: false }, scopeCount: 1, hasMember: true },
  secretary: { perms: { read_orgs: true, write_members: true }, scopeCount: 1, hasMember: true },
  viewer: { perms: { read_orgs: true, use_tokens: true }, scopeCount: 2, hasMember: false },
  member: { perms: {}, scopeCount: 0, hasMember: true },
}
const menu = (a: Access) => menuFor(a).map((p) => p.path)
const page = (name: string) => pages.find((p) => p.name === name)!

describe('menu per role', () => {
  it('admin sees everything but 我的 (no member record)', () => {
    expect(menu(roles.admin)).toEqual(['/', '/orgs', '/members', '/life', '/rulepacks', '/import', '/points/inbox', '/service/branch', '/tasks', '/assess', '/rectify', '/secreport', '/classify', '/admin/users', '/admin/tokens', '/admin/calendar', '/admin/audit'])
  })
  it('org staff sees the admin pages of their subtree and 我的', () => {
    expect(menu(roles.staff)).toEqual(['/', '/orgs', '/members', '/life', '/rulepacks', '/import', '/my', '/points/my', '/points/inbox', '/service/my', '/service/branch', '/tasks', '/assess', '/rectify', '/secreport', '/classify', '/admin/users', '/admin/tokens', '/admin/calendar', '/admin/audit'])
  })
  it('a branch secretary has no users, audit or API tokens', () => {
    const m = menu(roles.secretary)
    expect(m).toEqual(['/', '/orgs', '/members', '/life', '/rulepacks', '/import', '/my', '/points/my', '/points/inbox', '/service/my', '/service/branch', '/tasks', '/assess', '/rectify', '/secreport', '/classify'])
  })
  it('a viewer cannot import', () => {
    expect(menu(roles.viewer)).not.toContain('/import')
    expect(menu(roles.viewer)).not.toContain('/my')
  })
  it('a member sees only 我的 and 我的积分', () => {
    expect(menu(roles.member)).toEqual(['/my', '/points/my', '/service/my'])
  })
  it('星级评定 needs an organization in scope and read', () => {
    expect(menu(roles.viewer)).toContain('/assess')
    expect(menu({ ...roles.viewer, scopeCount: 0 })).not.toContain('/assess')
  })
  it('组织生活 needs an organization in scope', () => {
    expect(menu({ ...roles.viewer, scopeCount: 0 })).not.toContain('/life')
  })
})

describe('guards', () => {
  it('send a member from staff pages to 我的', () => {
    for (const n of ['home', 'orgs', 'members', 'import', 'users', 'tokens', 'audit', 'rulepacks', 'activity', 'rectify', 'secreport', 'classify']) {
      expect(guard(page(n), roles.member), n).toBe('/my')
    }
    for (const n of ['my', 'member', 'notices', 'checkin', 'notfound']) expect(guard(page(n), roles.member), n).toBe(true)
  })
  it('send a secretary from users and audit to the home page', () => {
    expect(guard(page('users'), roles.secretary)).toBe('/')
    expect(guard(page('audit'), roles.secretary)).toBe('/')
    expect(guard(page('import'), roles.secretary)).toBe(true)
    expect(guard(page('import'), roles.viewer)).toBe('/')
  })
  it('let an admin open every page', () => {
    for (const p of pages) expect(canUse(p, roles.admin), p.name).toBe(true)
  })
  it('let every menu entry pass its own guard', () => {
    for (const a of Object.values(roles)) for (const p of menuFor(a)) expect(guard(p, a)).toBe(true)
  })
  it('land each role where it may go', () => {
    expect(landing(roles.admin)).toBe('/')
    expect(landing(roles.member)).toBe('/my')
    expect(guard(pages.find((p) => p.path === landing(roles.member)), roles.member)).toBe(true)
  })
})

describe('accessOf and isActive', () => {
  it('reads /me', () => {
    expect(accessOf(null)).toEqual({ perms: {}, scopeCount: 0, hasMember: false })
    const a = accessOf({ permissions: { ...all }, scope: [], user: { member_id: 7 } } as never)
    expect(a.hasMember).toBe(true)
    expect(a.perms.read_audit).toBe(true)
  })
  it('lights 组织生活, not 组织架构, on an organization’s life page', () => {
    expect(isActive(page('life'), { path: '/orgs/3/life', name: 'orgLife' })).toBe(true)
    expect(isActive(page('orgs'), { path: '/orgs/3/life', name: 'orgLife' })).toBe(false)
    expect(isActive(page('orgs'), { path: '/orgs/3', name: 'org' })).toBe(true)
    expect(isActive(page('home'), { path: '/orgs', name: 'orgs' })).toBe(false)
    expect(isActive(page('members'), { path: '/members/4', name: 'member' })).toBe(true)
  })
})
