import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router'
import { useAuthStore } from '@/shared/stores/auth'
import { i18n } from '@/shared/i18n'

declare module 'vue-router' {
  interface RouteMeta {
    /** i18n key of the page name, for the tab title. */
    title?: string
    /** Reachable without logging in. */
    public?: boolean
    /** Which capability of the auth store the page needs. */
    needs?: 'canManageUsers' | 'canAudit' | 'canImport' | 'canUseTokens' | 'staff'
  }
}

export const routes = [
  { path: '/login', name: 'login', component: () => import('@/me/Login.vue'), meta: { public: true, title: 'nav.login' } },
  {
    path: '/',
    component: () => import('@/shared/layout/MainLayout.vue'),
    children: [
      { path: '', name: 'home', component: () => import('@/orgs/Home.vue'), meta: { title: 'nav.home', needs: 'staff' as const } },
      { path: 'orgs', name: 'orgs', component: () => import('@/orgs/OrgPage.vue'), meta: { title: 'nav.orgs', needs: 'staff' as const } },
      { path: 'orgs/:id(\\d+)', name: 'org', component: () => import('@/orgs/OrgPage.vue'), meta: { title: 'nav.orgs', needs: 'staff' as const } },
      { path: 'orgs/:id(\\d+)/life', name: 'orgLife', component: () => import('@/orgs/OrgPage.vue'), meta: { title: 'life.tab', needs: 'staff' as const } },
      {
        path: 'life', name: 'life', component: () => import('@/shared/components/NotFound.vue'), meta: { title: 'life.nav', needs: 'staff' as const },
        // The life view of the user's first scope organization.
        beforeEnter: () => {
          const first = useAuthStore().scope[0]
          return first ? `/orgs/${first.id}/life` : { name: 'orgs' }
        },
      },
      { path: 'activities/:id(\\d+)', name: 'activity', component: () => import('@/life/ActivityPage.vue'), meta: { title: 'life.activity', needs: 'staff' as const } },
      { path: 'rulepacks', name: 'rulepacks', component: () => import('@/admin/RulePacks.vue'), meta: { title: 'rulepacks.title', needs: 'staff' as const } },
      { path: 'notices', name: 'notices', component: () => import('@/life/Notices.vue'), meta: { title: 'notices.title' } },
      { path: 'members', name: 'members', component: () => import('@/members/Members.vue'), meta: { title: 'nav.members', needs: 'staff' as const } },
      { path: 'members/:id(\\d+)', name: 'member', component: () => import('@/members/MemberPage.vue'), meta: { title: 'member.title' } },
      { path: 'import', name: 'import', component: () => import('@/members/Import.vue'), meta: { title: 'nav.import', needs: 'canImport' as const } },
      { path: 'admin/users', name: 'users', component: () => import('@/admin/Users.vue'), meta: { title: 'nav.users', needs: 'canManageUsers' as const } },
      { path: 'admin/tokens', name: 'tokens', component: () => import('@/admin/Tokens.vue'), meta: { title: 'nav.tokens', needs: 'canUseTokens' as const } },
      { path: 'admin/audit', name: 'audit', component: () => import('@/admin/Audit.vue'), meta: { title: 'nav.audit', needs: 'canAudit' as const } },
      { path: 'checkin', name: 'checkin', component: () => import('@/life/Checkin.vue'), meta: { title: 'life.checkinPage' } },
      { path: 'my', name: 'my', component: () => import('@/me/My.vue'), meta: { title: 'nav.my' } },
      { path: ':pathMatch(.*)*', name: 'notfound', component: () => import('@/shared/components/NotFound.vue'), meta: { title: 'nav.notFound' } },
    ],
  },
]

export const router = createRouter({ history: createWebHistory(), routes })

/** A redirect target from the login page's query: only paths of this site. */
export function safeRedirect(v: unknown): string | undefined {
  return typeof v === 'string' && v.startsWith('/') && !v.startsWith('//') && !v.startsWith('/login') ? v : undefined
}

let pageTitle = ''
/** A page may name itself more precisely than its route (an org's or member's name). */
export function setPageTitle(name: string) {
  pageTitle = name
  updateTitle(router.currentRoute.value)
}
export function updateTitle(to: RouteLocationNormalized) {
  const t = i18n.global.t
  const name = pageTitle || (to.meta.title ? t(to.meta.title) : '')
  document.title = name ? `${name} - ${t('app.title')}` : t('app.title')
}

router.beforeEach(async (to) => {
  if (to.meta.public) return true
  const auth = useAuthStore()
  let loggedIn = false
  try {
    loggedIn = await auth.load()
  } catch {
    loggedIn = false
  }
  if (!loggedIn) return { name: 'login', query: { redirect: to.fullPath } }
  const needs = to.meta.needs
  if (needs === 'staff' && auth.isMemberOnly) return to.name === 'home' ? { name: 'my' } : { name: 'notfound', params: { pathMatch: to.path.slice(1).split('/') } }
  if (needs && needs !== 'staff' && !auth[needs]) return { name: 'notfound', params: { pathMatch: to.path.slice(1).split('/') } }
  return true
})

router.afterEach((to, from) => {
  if (to.path !== from.path) pageTitle = ''
  updateTitle(to)
})
