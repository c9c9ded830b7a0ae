// The typed API client: openapi-fetch over the generated `paths` (schema.d.ts, from openapi.json),
// so that a field or path renamed on the server fails the type check here.
import createClient from 'openapi-fetch'
import type { paths } from './schema'
import { ApiError } from './problem'
import type { Problem } from './types'

export interface ApiHooks {
  /** The UI language, sent as Accept-Language. */
  language(): string
  /** Called on a 401 from any call except the login itself (the session is gone). */
  unauthorized(): void
}

const noHooks: ApiHooks = { language: () => 'zh-CN', unauthorized: () => {} }

/** True for the calls whose 401 is an answer to show, not an expired session. */
export function isLoginCall(url: string): boolean {
  return new URL(url, 'http://x').pathname === '/api/v1/auth/login'
}

export function makeApi(hooks: ApiHooks = noHooks, opts: { baseUrl?: string; fetch?: typeof fetch } = {}) {
  const fetchImpl = opts.fetch ?? ((input: Request) => globalThis.fetch(input))
  const baseUrl = opts.baseUrl ?? (typeof location !== 'undefined' ? location.origin : 'http://localhost')
  const client = createClient<paths>({ baseUrl, fetch: fetchImpl, credentials: 'same-origin' })
  client.use({
    onRequest({ request }) {
      request.headers.set('Accept-Language', hooks.language())
      return request
    },
    onResponse({ request, response }) {
      if (response.status === 401 && !isLoginCall(request.url)) hooks.unauthorized()
      return response
    },
  })

  /** A plain fetch with the same headers and 401 handling, for downloads and uploads. */
  async function raw(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    headers.set('Accept-Language', hooks.language())
    let res: Response
    try {
      res = await fetchImpl(new Request(new URL(path, baseUrl), { credentials: 'same-origin', ...init, headers }))
    } catch (e) {
      throw new ApiError(0, { title: String(e), status: 0, code: 'network' })
    }
    if (res.status === 401 && !isLoginCall(res.url || path)) hooks.unauthorized()
    if (!res.ok) {
      let problem: Partial<Problem> | undefined
      try {
        problem = (await res.json()) as Problem
      } catch {
        problem = undefined
      }
      throw new ApiError(res.status, problem)
    }
    return res
  }

  return Object.assign(client, { raw })
}

export type Api = ReturnType<typeof makeApi>

/** The result of a typed call: the data, or an ApiError thrown with the problem. */
export async function ok<D>(p: Promise<{ data?: D; error?: unknown; response: Response }>): Promise<D> {
  let r: { data?: D; error?: unknown; response: Response }
  try {
    r = await p
  } catch (e) {
    throw new ApiError(0, { title: String(e), status: 0, code: 'network' })
  }
  if (r.error !== undefined || !r.response.ok) {
    const problem = typeof r.error === 'object' && r.error !== null ? (r.error as Partial<Problem>) : undefined
    throw new ApiError(r.response.status, problem)
  }
  return r.data as D
}

/* The application's client; its hooks are wired in main.ts. */
const hooks: ApiHooks = { ...noHooks }
export function setApiHooks(h: Partial<ApiHooks>) {
  Object.assign(hooks, h)
}
export const api = makeApi({ language: () => hooks.language(), unauthorized: () => hooks.unauthorized() })

/** Downloads a file from the API (export, template, error workbook) and saves it. */
export async function download(path: string, fallbackName: string): Promise<void> {
  const res = await api.raw(path)
  const blob = await res.blob()
  saveBlob(blob, fileNameFrom(res.headers.get('Content-Disposition')) || fallbackName)
}

export function fileNameFrom(cd: string | null): string | undefined {
  if (!cd) return undefined
  const star = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(cd)
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''))
    } catch {
      /* fall through */
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(cd)
  return plain ? plain[1] : undefined
}

export function saveBlob(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
