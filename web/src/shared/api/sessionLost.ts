// What happens on a 401: the session is gone, so go to the login page (remembering where the user
// was, and saying the session expired if there was one). Calls made together all fail at once:
// only the first one redirects.

export interface SessionLostDeps {
  hadSession(): boolean
  clear(): void
  current(): { name?: unknown; fullPath: string }
  toLogin(query: Record<string, string>): Promise<unknown>
  safeRedirect(path: string): string | undefined
}

export function sessionLostHandler(d: SessionLostDeps): () => void {
  let leaving = false
  return () => {
    if (leaving) return
    const wasIn = d.hadSession()
    d.clear()
    const here = d.current()
    if (here.name === 'login') return
    leaving = true
    const redirect = d.safeRedirect(here.fullPath)
    void d
      .toLogin({ ...(redirect ? { redirect } : {}), ...(wasIn ? { expired: '1' } : {}) })
      .finally(() => (leaving = false))
  }
}
