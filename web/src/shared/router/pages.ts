import type { Component } from 'vue'
import type { Me, Permissions } from '@/shared/api/types'

/** A permission the server reports in GET /api/v1/me (`permissions`). */
export type Perm = keyof Permissions

/** What the menu and the guards know of the caller: only data from GET /api/v1/me. */
export interface Access {
  perms: Partial<Record<Perm, boolean>>
  /** Organizations at the top of the caller's scope. */
  scopeCount: number
  /** The account is linked to a member record (它有“我的”页). */
  hasMember: boolean
}

export function accessOf(me: Pick<Me, 'permissions' | 'scope' | 'user'> | null | undefined): Access {
  return {
    perms: me?.permissions ?? {},
    scopeCount: me?.scope?.length ?? 0,
    hasMember: !!me?.user?.member_id,
  }
}

/**
 * One page of the app. `needs` mirrors the permission the server checks for the page's API
 * (all listed are required; none: any logged-in user, the API then limits the data to the caller).
 */
export interface Page {
  path: string
  name: string
  /** i18n key of the page name (tab title; menu label unless `menu.label`). */
  title: string
  component: () => Promise<Component | { default: Component }>
  needs?: Perm[]
  /** Shown in the side menu, in list order. */
  menu?: {
    label?: string
    group?: 'admin'
    /** The entry needs an organization in scope (组织生活 opens the first one). */
    needsScope?: boolean
    /** The entry needs a linked member record (我的). */
    needsMember?: boolean
  }
  /** The path prefixes whose pages light this menu entry. */
  activeFor?: string[]
  /** Route names whose pages light this menu entry instead of the one matching their path. */
  activeNames?: string[]
  public?: boolean
}

const NotFound = () => import('@/shared/components/NotFound.vue')

/** Every page of the app; the router, its guard and the side menu are built from this list. */
export const pages: Page[] = [
  { path: '/login', name: 'login', title: 'nav.login', component: () => import('@/me/Login.vue'), public: true },
  { path: '/', name: 'home', title: 'nav.home', component: () => import('@/orgs/Home.vue'), needs: ['read_orgs'], menu: {} },
  { path: '/orgs', name: 'orgs', title: 'nav.orgs', component: () => import('@/orgs/OrgPage.vue'), needs: ['read_orgs'], menu: {} },
  { path: '/orgs/:id(\\d+)', name: 'org', title: 'nav.orgs', component: () => import('@/orgs/OrgPage.vue'), needs: ['read_orgs'] },
  { path: '/members', name: 'members', title: 'nav.members', component: () => import('@/members/Members.vue'), needs: ['read_orgs'], menu: {} },
  { path: '/orgs/:id(\\d+)/life', name: 'orgLife', title: 'life.tab', component: () => import('@/orgs/OrgPage.vue'), needs: ['read_orgs'] },
  // 组织生活 of the caller's first scope organization (a redirect, see the router).
  { path: '/life', name: 'life', title: 'life.nav', component: NotFound, needs: ['read_orgs'], menu: { needsScope: true }, activeNames: ['orgLife', 'activity'] },
  { path: '/orgs/:id(\\d+)/quarterly', name: 'quarterly', title: 'quarterly.nav', component: () => import('@/quarterly/QuarterlyReview.vue'), needs: ['read_orgs'] },
  { path: '/activities/:id(\\d+)', name: 'activity', title: 'life.activity', component: () => import('@/life/ActivityPage.vue'), needs: ['read_orgs'] },
  { path: '/rulepacks', name: 'rulepacks', title: 'rulepacks.title', component: () => import('@/admin/RulePacks.vue'), needs: ['read_orgs'], menu: { label: 'rulepacks.nav' } },
  { path: '/import', name: 'import', title: 'nav.import', component: () => import('@/members/Import.vue'), needs: ['write_members'], menu: {} },
  { path: '/my', name: 'my', title: 'nav.my', component: () => import('@/me/My.vue'), menu: { needsMember: true } },
  { path: '/points/my', name: 'myPoints', title: 'points.my', component: () => import('@/points/MyPoints.vue'), menu: { needsMember: true } },
  { path: '/orgs/:id(\\d+)/points', name: 'orgPoints', title: 'points.overview', component: () => import('@/points/PointsOverview.vue'), needs: ['read_orgs'] },
  { path: '/points/inbox', name: 'pointsInbox', title: 'points.inbox', component: () => import('@/points/ClaimsInbox.vue'), needs: ['write_members'], menu: { needsScope: true } },
  { path: '/service/my', name: 'myService', title: 'service.my', component: () => import('@/service/MyService.vue'), menu: { needsMember: true } },
  { path: '/service/branch', name: 'branchService', title: 'service.branch', component: () => import('@/service/BranchService.vue'), needs: ['write_members'], menu: { needsScope: true } },
  { path: '/service/board/:id(\\d+)', name: 'commitmentBoard', title: 'service.board', component: () => import('@/service/CommitmentBoard.vue'), needs: ['read_orgs'] },
  // The year end (linked from 我的积分 and 积分审核): the branch's page, which its members read during the 公示.
  { path: '/points/yearend', name: 'pointsYearEnd', title: 'yearend.title', component: () => import('@/points/YearEnd.vue') },
  { path: '/points/rating', name: 'myRating', title: 'yearend.my', component: () => import('@/points/MyRating.vue') },
  { path: '/points/appeals', name: 'pointsAppeals', title: 'yearend.appeals', component: () => import('@/points/Appeals.vue'), needs: ['read_orgs'] },
  { path: '/tasks', name: 'tasks', title: 'tasks.title', component: () => import('@/tasks/Tasks.vue'), needs: ['read_orgs'], menu: { label: 'tasks.nav', needsScope: true } },
  { path: '/tasks/:id(\\d+)', name: 'task', title: 'tasks.title', component: () => import('@/tasks/TaskPage.vue'), needs: ['read_orgs'] },
  { path: '/projects', name: 'projects', title: 'projects.title', component: () => import('@/projects/Projects.vue'), needs: ['read_orgs'] },
  { path: '/projects/:id(\\d+)', name: 'project', title: 'projects.title', component: () => import('@/projects/ProjectPage.vue'), needs: ['read_orgs'] },
  { path: '/assess', name: 'assess', title: 'assess.nav', component: () => import('@/assess/AssessHome.vue'), needs: ['read_orgs'], menu: { needsScope: true }, activeFor: ['/assess/'] },
  { path: '/assess/rounds/:id(\\d+)', name: 'assessRound', title: 'assess.rounds', component: () => import('@/assess/RoundPage.vue'), needs: ['read_orgs'] },
  { path: '/assess/rounds/:id(\\d+)/orgs/:org(\\d+)', name: 'assessSheet', title: 'assess.sheet', component: () => import('@/assess/SheetPage.vue'), needs: ['read_orgs'] },
  // Issue 15: 整改事项, 述职评议, 分类定级 (the caller's first scope organization).
  { path: '/rectify', name: 'rectify', title: 'rectify.nav', component: () => import('@/secreport/Rectify.vue'), needs: ['read_orgs'], menu: { needsScope: true } },
  { path: '/secreport', name: 'secreport', title: 'secreport.nav', component: () => import('@/secreport/SecReport.vue'), needs: ['read_orgs'], menu: { needsScope: true } },
  { path: '/inspect', name: 'inspect', title: 'inspect.title', component: () => import('@/inspect/Inspect.vue'), needs: ['read_orgs'] }, // 专项督查: linked from 整改事项
  { path: '/classify', name: 'classify', title: 'classify.nav', component: () => import('@/secreport/Classify.vue'), needs: ['read_orgs'], menu: { needsScope: true } },
  { path: '/admin/users', name: 'users', title: 'nav.users', component: () => import('@/admin/Users.vue'), needs: ['manage_users'], menu: { group: 'admin' } },
  // POST /api/v1/tokens needs use_tokens (admin, org staff, viewer; not a secretary or a member).
  { path: '/admin/tokens', name: 'tokens', title: 'nav.tokens', component: () => import('@/admin/Tokens.vue'), needs: ['use_tokens'], menu: { group: 'admin' } },
  { path: '/admin/calendar', name: 'calendar', title: 'calendar.title', component: () => import('@/admin/Calendar.vue'), needs: ['manage_orgs'], menu: { group: 'admin', label: 'calendar.nav' } },
  { path: '/admin/audit', name: 'audit', title: 'nav.audit', component: () => import('@/admin/Audit.vue'), needs: ['read_audit'], menu: { group: 'admin' } },
  { path: '/notices', name: 'notices', title: 'notices.title', component: () => import('@/life/Notices.vue') },
  { path: '/members/:id(\\d+)', name: 'member', title: 'member.title', component: () => import('@/members/MemberPage.vue') },
  { path: '/checkin', name: 'checkin', title: 'life.checkinPage', component: () => import('@/life/Checkin.vue') },
  { path: '/:pathMatch(.*)*', name: 'notfound', title: 'nav.notFound', component: NotFound },
]

/** The caller may open the page (the server would answer its API). */
export function canUse(p: Page, a: Access): boolean {
  return p.public || (p.needs ?? []).every((n) => !!a.perms[n])
}

/** Where the caller lands after signing in, and where a page they cannot use sends them. */
export function landing(a: Access): string {
  return a.perms.read_orgs ? '/' : '/my'
}

/** The side menu's entries for the caller, in list order. */
export function menuFor(a: Access, list: Page[] = pages): Page[] {
  return list.filter((p) => {
    const m = p.menu
    if (!m || !canUse(p, a)) return false
    if (m.needsScope && a.scopeCount === 0) return false
    // 我的 is for an account with a member record; a plain member always has one.
    if (m.needsMember && !a.hasMember && a.perms.read_orgs) return false
    return true
  })
}

/** The guard's answer for a page: true, or the path to send the caller to instead. */
export function guard(p: Page | undefined, a: Access): true | string {
  if (!p || canUse(p, a)) return true
  return landing(a)
}

/** The menu entry lit for the current route. */
export function isActive(entry: Page, route: { path: string; name?: unknown }): boolean {
  const name = typeof route.name === 'string' ? route.name : ''
  if (entry.activeNames?.includes(name)) return true
  if (pages.some((p) => p !== entry && p.activeNames?.includes(name))) return false
  if (entry.path === '/') return route.path === '/'
  return route.path === entry.path || route.path.startsWith(entry.path + '/')
}
