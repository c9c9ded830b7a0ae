import { describe, expect, it, vi } from 'vitest'
import { sessionLostHandler } from './sessionLost'

function setup(route = { name: 'members', fullPath: '/members?page=2' }, hadSession = true) {
  let resolve = () => {}
  const toLogin = vi.fn(() => new Promise<void>((r) => (resolve = r)))
  const clear = vi.fn()
  const h = sessionLostHandler({
    hadSession: () => hadSession, clear, current: () => route, toLogin,
    safeRedirect: (p) => (p.startsWith('/') && !p.startsWith('//') ? p : undefined),
  })
  return { h, toLogin, clear, done: () => resolve() }
}

describe('401 → login page', () => {
  it('goes to the login page once, back here afterwards, saying the session expired', async () => {
    const s = setup()
    s.h()
    s.h() // a second call that failed at the same time
    expect(s.toLogin).toHaveBeenCalledTimes(1)
    expect(s.toLogin).toHaveBeenCalledWith({ redirect: '/members?page=2', expired: '1' })
    expect(s.clear).toHaveBeenCalled()
    s.done()
    await new Promise((r) => setTimeout(r))
    s.h()
    expect(s.toLogin).toHaveBeenCalledTimes(2)
  })
  it('does not say "expired" when there was no session', () => {
    const s = setup(undefined, false)
    s.h()
    expect(s.toLogin).toHaveBeenCalledWith({ redirect: '/members?page=2' })
  })
  it('stays on the login page', () => {
    const s = setup({ name: 'login', fullPath: '/login' })
    s.h()
    expect(s.toLogin).not.toHaveBeenCalled()
  })
})
