import { createRouter, createWebHistory, type RouteLocationNormalized, type RouteRecordRaw } from 'vue-router'
import { useAuthStore } from '@/shared/stores/auth'
import { i18n } from '@/shared/i18n'
import { accessOf, guard, pages, type Page } from './pages'

declare module 'vue-router' {
  interface RouteMeta {
    /** i18n key of the page name, for the tab title. */
    title?: string
    /** Reachable without logging in. */
    public?: boolean
  }
}

function route(p: Page, child: boolean): RouteRecordRaw {
  const r: RouteRecordRaw = { path: child ? p.path.slice(1) : p.path, name: p.name, component: p.component, meta: { title: p.title, public: p.public } }
  if (p.name === 'life') {
    // The life view of the user's first scope organization.
    r.beforeEnter = () => {
      const first = useAuthStore().scope[0]
      return first ? `/orgs/${first.id}/life` : { name: 'orgs' }
    }
  }
  return r
}

export const routes: RouteRecordRaw[] = [
  ...pages.filter((p) => p.public).map((p) => route(p, false)),
  { path: '/', component: () => import('@/shared/layout/MainLayout.vue'), children: pages.filter((p) => !p.public).map((p) => route(p, true)) },
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
  const answer = guard(pages.find((p) => p.name === to.name), accessOf(auth.me))
  if (answer !== true) return answer
  return true
})

router.afterEach((to, from) => {
  if (to.path !== from.path) pageTitle = ''
  updateTitle(to)
})
