// RFC 9457 problem+json → what the UI shows.
import type { Problem } from './types'
import { durationParts } from '@/shared/utils/format'

export class ApiError extends Error {
  readonly status: number
  readonly problem: Problem
  constructor(status: number, problem: Partial<Problem> | undefined | null) {
    const p: Problem = {
      type: problem?.type ?? 'about:blank',
      title: problem?.title ?? `HTTP ${status}`,
      status: problem?.status ?? status,
      code: problem?.code ?? (status === 0 ? 'network' : `http_${status}`),
      ...problem,
    } as Problem
    super(p.detail || p.title)
    this.name = 'ApiError'
    this.status = status
    this.problem = p
  }
  get code(): string {
    return this.problem.code
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError
}

/**
 * Field errors of a 422 answer, keyed by the JSON field name; several messages for one field are
 * joined. Errors without a field (or with a row, i.e. import rows) are returned in `general`.
 */
export function fieldErrors(p: Problem | undefined | null): { fields: Record<string, string>; general: string[] } {
  const fields: Record<string, string> = {}
  const general: string[] = []
  for (const e of p?.errors ?? []) {
    const msg = e.message || p?.detail || p?.title || ''
    if (e.field && !e.row) fields[e.field] = fields[e.field] ? `${fields[e.field]}；${msg}` : msg
    else general.push(msg)
  }
  if (!Object.keys(fields).length && !general.length && p && p.status !== 422) general.push(p.detail || p.title)
  return { fields, general }
}

type T = (key: string, named?: Record<string, unknown>) => string

/** The sentence to show for any failed call. */
export function errorMessage(e: unknown, t: T): string {
  if (isApiError(e)) {
    if (e.status === 0) return t('error.network')
    return e.problem.detail || e.problem.title || t('error.generic')
  }
  if (e instanceof TypeError) return t('error.network')
  return e instanceof Error && e.message ? e.message : t('error.generic')
}

/**
 * What a form shows for a failed save: a 422's messages at their fields, and otherwise (no field
 * named, or another status) one message for the whole form.
 */
export function formErrors(e: unknown, t: T): { fields: Record<string, string>; message: string } {
  const { fields, general } = isApiError(e) && e.status === 422 ? fieldErrors(e.problem) : { fields: {}, general: [] as string[] }
  return { fields, message: Object.keys(fields).length ? '' : general[0] || errorMessage(e, t) }
}

/** The login page's message for a failed login (wrong password, locked with the time left…). */
export function loginErrorMessage(e: unknown, t: T, formatTime: (iso: string) => string): string {
  if (!isApiError(e)) return t('login.network')
  const p = e.problem
  if (p.code === 'account_locked') {
    if (typeof p.retry_after_seconds === 'number' && p.retry_after_seconds > 0) {
      const d = durationParts(p.retry_after_seconds)
      return t('login.locked', { time: t(`duration.${d.unit}`, { n: d.n }) })
    }
    if (p.locked_until) return t('login.lockedUntil', { time: formatTime(p.locked_until) })
    return p.detail || p.title
  }
  if (p.code === 'rate_limited') {
    const d = durationParts(typeof p.retry_after_seconds === 'number' && p.retry_after_seconds > 0 ? p.retry_after_seconds : 60)
    return t('login.rateLimited', { time: t(`duration.${d.unit}`, { n: d.n }) })
  }
  if (p.code === 'invalid_credentials') return p.detail || t('login.invalid')
  if (e.status === 0) return t('login.network')
  return p.detail || p.title || t('error.generic')
}
