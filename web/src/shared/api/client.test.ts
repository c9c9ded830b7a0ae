import { describe, expect, it, vi } from 'vitest'
import { fileNameFrom, isLoginCall, makeApi, ok } from './client'
import { ApiError } from './problem'

function fakeFetch(status: number, body: unknown, contentType = 'application/json') {
  const calls: Request[] = []
  const f = vi.fn(async (req: Request) => {
    calls.push(req)
    return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': contentType } })
  })
  return { f: f as unknown as typeof fetch, calls }
}

describe('API client', () => {
  it('sends the UI language as Accept-Language', async () => {
    const { f, calls } = fakeFetch(200, { items: [], total: 0 })
    const api = makeApi({ language: () => 'en-US', unauthorized: () => {} }, { baseUrl: 'http://t', fetch: f })
    await ok(api.GET('/api/v1/orgs', { params: { query: { q: '社区' } } }))
    expect(calls[0].headers.get('Accept-Language')).toBe('en-US')
    expect(new URL(calls[0].url).searchParams.get('q')).toBe('社区')
  })

  it('calls unauthorized on a 401 from any call but the login', async () => {
    const unauthorized = vi.fn()
    const problem = { title: 'Unauthorized', status: 401, code: 'unauthorized' }
    const { f } = fakeFetch(401, problem, 'application/problem+json')
    const api = makeApi({ language: () => 'zh-CN', unauthorized }, { baseUrl: 'http://t', fetch: f })

    await expect(ok(api.GET('/api/v1/members/{id}', { params: { path: { id: 7 } } }))).rejects.toBeInstanceOf(ApiError)
    expect(unauthorized).toHaveBeenCalledTimes(1)

    const err = await ok(api.POST('/api/v1/auth/login', { body: { username: 'a', password: 'b' } })).catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(unauthorized).toHaveBeenCalledTimes(1)

    await expect(api.raw('/api/v1/members/export')).rejects.toMatchObject({ status: 401 })
    expect(unauthorized).toHaveBeenCalledTimes(2)
  })

  it('does not call unauthorized on other errors', async () => {
    const unauthorized = vi.fn()
    const { f } = fakeFetch(403, { title: 'Forbidden', status: 403, code: 'forbidden', detail: '无权' })
    const api = makeApi({ language: () => 'zh-CN', unauthorized }, { baseUrl: 'http://t', fetch: f })
    const e = await ok(api.PATCH('/api/v1/orgs/{id}', { params: { path: { id: 1 } }, body: { name: 'x' } })).catch((x) => x)
    expect(e).toBeInstanceOf(ApiError)
    expect((e as ApiError).problem.detail).toBe('无权')
    expect(unauthorized).not.toHaveBeenCalled()
  })

  it('turns a network failure into an ApiError with status 0', async () => {
    const api = makeApi(undefined, { baseUrl: 'http://t', fetch: (async () => { throw new TypeError('Failed to fetch') }) as unknown as typeof fetch })
    await expect(ok(api.GET('/api/v1/me'))).rejects.toMatchObject({ status: 0 })
  })

  it('knows the login call', () => {
    expect(isLoginCall('http://t/api/v1/auth/login')).toBe(true)
    expect(isLoginCall('/api/v1/auth/login?x=1')).toBe(true)
    expect(isLoginCall('/api/v1/auth/logout')).toBe(false)
  })

  it('reads download file names', () => {
    expect(fileNameFrom(`attachment; filename="members.xlsx"; filename*=UTF-8''%E5%90%8D%E5%86%8C.xlsx`)).toBe('名册.xlsx')
    expect(fileNameFrom('attachment; filename="members.xlsx"')).toBe('members.xlsx')
    expect(fileNameFrom(null)).toBeUndefined()
  })
})
