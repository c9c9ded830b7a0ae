import { describe, expect, it } from 'vitest'
import { ApiError, errorMessage, fieldErrors, formErrors, loginErrorMessage } from './problem'
import type { Problem as FullProblem } from './types'

// Test problems leave out what the code does not read.
type Problem = Omit<FullProblem, 'type' | 'errors'> & { errors?: { field?: string; row?: number; message: string }[] }
const fe = (p: Problem | undefined) => fieldErrors(p as FullProblem)

// A stand-in for vue-i18n's t: the key and its arguments.
const t = (k: string, a?: Record<string, unknown>) => (a ? `${k}(${Object.entries(a).map(([x, y]) => `${x}=${y}`).join(',')})` : k)

describe('problem+json → field errors', () => {
  it('keys messages by the JSON field name and joins repeats', () => {
    const p: Problem = {
      title: '校验失败', status: 422, code: 'validation_failed',
      errors: [
        { field: 'id_number', message: '公民身份号码校验位错误' },
        { field: 'phone', message: '手机号码格式错误' },
        { field: 'id_number', message: '公民身份号码已存在' },
      ],
    }
    expect(fe(p)).toEqual({
      fields: { id_number: '公民身份号码校验位错误；公民身份号码已存在', phone: '手机号码格式错误' },
      general: [],
    })
  })
  it('keeps errors without a field (or with a row) as general messages', () => {
    const p: Problem = { title: 'bad', status: 422, code: 'validation_failed', errors: [{ message: 'whole thing' }, { field: 'name', row: 3, message: 'row 3' }] }
    expect(fe(p)).toEqual({ fields: {}, general: ['whole thing', 'row 3'] })
  })
  it('turns a non-validation problem into a general message', () => {
    expect(fe({ title: 'Forbidden', status: 403, code: 'forbidden', detail: '无权操作' }).general).toEqual(['无权操作'])
    expect(fe(undefined)).toEqual({ fields: {}, general: [] })
  })
})

describe('error messages', () => {
  it('prefers the localised detail', () => {
    expect(errorMessage(new ApiError(404, { title: 'Not Found', status: 404, code: 'not_found', detail: '组织不存在' }), t)).toBe('组织不存在')
  })
  it('says network for failed fetches', () => {
    expect(errorMessage(new ApiError(0, null), t)).toBe('error.network')
    expect(errorMessage(new TypeError('Failed to fetch'), t)).toBe('error.network')
  })
  it('fills in a problem without a body', () => {
    const e = new ApiError(502, null)
    expect(e.problem).toMatchObject({ status: 502, code: 'http_502', title: 'HTTP 502' })
  })
})

describe('form errors', () => {
  it('puts a 422 at its fields and leaves the form message empty', () => {
    const e = new ApiError(422, { title: 'Invalid', status: 422, code: 'invalid', errors: [{ field: 'problem', message: '问题：不能为空' }] })
    expect(formErrors(e, t)).toEqual({ fields: { problem: '问题：不能为空' }, message: '' })
  })
  it('gives a 422 without a field, or another status, one message for the form', () => {
    const general = new ApiError(422, { title: 'Invalid', status: 422, code: 'invalid', errors: [{ field: '', message: '整体有误' }] })
    expect(formErrors(general, t)).toEqual({ fields: {}, message: '整体有误' })
    const conflict = new ApiError(409, { title: 'Conflict', status: 409, code: 'conflict', detail: '该问题已整改完成，不能再修改' })
    expect(formErrors(conflict, t)).toEqual({ fields: {}, message: '该问题已整改完成，不能再修改' })
  })
})

describe('login errors', () => {
  const fmt = (iso: string) => `T(${iso})`
  it('wrong password', () => {
    const e = new ApiError(401, { title: 'Unauthorized', status: 401, code: 'invalid_credentials' })
    expect(loginErrorMessage(e, t, fmt)).toBe('login.invalid')
    const e2 = new ApiError(401, { title: 'x', status: 401, code: 'invalid_credentials', detail: '用户名或密码错误' })
    expect(loginErrorMessage(e2, t, fmt)).toBe('用户名或密码错误')
  })
  it('locked, with the time left', () => {
    const e = new ApiError(423, { title: 'Locked', status: 423, code: 'account_locked', retry_after_seconds: 840, locked_until: '2026-11-22T08:14:00Z' })
    expect(loginErrorMessage(e, t, fmt)).toBe('login.locked(time=duration.minutes(n=14))')
  })
  it('locked, with only the time it ends', () => {
    const e = new ApiError(429, { title: 'Locked', status: 429, code: 'account_locked', locked_until: '2026-11-22T08:14:00Z' })
    expect(loginErrorMessage(e, t, fmt)).toBe('login.lockedUntil(time=T(2026-11-22T08:14:00Z))')
  })
  it('too many attempts, with the wait', () => {
    const e = new ApiError(429, { title: 'Too many', status: 429, code: 'rate_limited', retry_after_seconds: 30 })
    expect(loginErrorMessage(e, t, fmt)).toBe('login.rateLimited(time=duration.seconds(n=30))')
    const busy = new ApiError(429, { title: 'Too many', status: 429, code: 'rate_limited' })
    expect(loginErrorMessage(busy, t, fmt)).toBe('login.rateLimited(time=duration.minutes(n=1))')
  })
  it('network', () => {
    expect(loginErrorMessage(new Error('x'), t, fmt)).toBe('login.network')
  })
})
