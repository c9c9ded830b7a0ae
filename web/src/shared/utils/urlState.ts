// Page state kept in the URL query, so that filters, paging and sorting survive a reload and can be
// shared as a link. Each page has a parse (query → state) and a serialise (state → query) that
// leaves out defaults, so that a clean URL means the default view.

import type { operations, paths } from '@/shared/api/schema'

export type RouteQuery = Record<string, string | null | (string | null)[] | undefined>

function first(v: RouteQuery[string]): string | undefined {
  if (Array.isArray(v)) v = v[0]
  return v === null || v === undefined ? undefined : v
}
export function qString(q: RouteQuery, k: string, def = ''): string {
  return first(q[k])?.trim() ?? def
}
export function qInt(q: RouteQuery, k: string, def: number, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  const s = first(q[k])
  if (s === undefined || !/^\d+$/.test(s)) return def
  const n = Number(s)
  return n < min || n > max ? def : n
}
export function qOptInt(q: RouteQuery, k: string): number | undefined {
  const s = first(q[k])
  return s !== undefined && /^\d+$/.test(s) && Number(s) > 0 ? Number(s) : undefined
}
export function qBool(q: RouteQuery, k: string, def: boolean): boolean {
  const s = first(q[k])
  if (s === 'true' || s === '1') return true
  if (s === 'false' || s === '0') return false
  return def
}
export function qEnum<T extends string>(q: RouteQuery, k: string, values: readonly T[], def: T): T {
  const s = first(q[k])
  return s !== undefined && (values as readonly string[]).includes(s) ? (s as T) : def
}

/* ---------- member roster ---------- */

export const MEMBER_SORTS = ['name', '-name', 'join_date', '-join_date', 'birth_date', '-birth_date'] as const
export type MemberSort = (typeof MEMBER_SORTS)[number]
export const PAGE_SIZES = [20, 50, 100, 200] as const

export interface MemberFilter {
  org?: number
  subtree: boolean
  q: string
  status: string
  category: string
  sex: string
  age_band: string
  education: string
  field: string
  sort: MemberSort
  page: number
  page_size: number
}

export const MEMBER_DEFAULTS: Omit<MemberFilter, 'org'> = {
  subtree: true, q: '', status: '', category: '', sex: '', age_band: '', education: '', field: '',
  sort: 'name', page: 1, page_size: 50,
}

const TEXT_KEYS = ['q', 'status', 'category', 'sex', 'age_band', 'education', 'field'] as const

export function parseMemberQuery(q: RouteQuery): MemberFilter {
  const f: MemberFilter = { ...MEMBER_DEFAULTS, org: qOptInt(q, 'org') }
  for (const k of TEXT_KEYS) f[k] = qString(q, k)
  f.subtree = qBool(q, 'subtree', true)
  f.sort = qEnum(q, 'sort', MEMBER_SORTS, 'name')
  f.page = qInt(q, 'page', 1)
  f.page_size = qInt(q, 'page_size', 50, 1, 500)
  return f
}

/** The route query for a filter: only what differs from the defaults. */
export function memberRouteQuery(f: MemberFilter): Record<string, string> {
  const out: Record<string, string> = {}
  if (f.org) out.org = String(f.org)
  if (!f.subtree) out.subtree = 'false'
  for (const k of TEXT_KEYS) if (f[k]) out[k] = f[k]
  if (f.sort !== 'name') out.sort = f.sort
  if (f.page !== 1) out.page = String(f.page)
  if (f.page_size !== 50) out.page_size = String(f.page_size)
  return out
}

/** The query of GET /api/v1/members, as the server's OpenAPI description types it. */
export type MemberApiQuery = NonNullable<paths['/api/v1/members']['get']['parameters']['query']>

/** The API query (GET /api/v1/members and /members/export) for a filter. */
export function memberApiQuery(f: MemberFilter, paging = true): MemberApiQuery {
  // Enumerated values are passed through as given: the server answers 422 for unknown codes.
  const out: Record<string, string | number | boolean> = { subtree: f.subtree, sort: f.sort }
  if (f.org) out.org = f.org
  for (const k of TEXT_KEYS) if (f[k]) out[k] = f[k]
  if (paging) {
    out.page = f.page
    out.page_size = f.page_size
  }
  return out as MemberApiQuery
}

/** URLSearchParams of an API query (for downloads that are not made through the typed client). */
export function toSearchParams(q: object): URLSearchParams {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v))
  return p
}

/** Element Plus table sort → API sort. */
export function tableSortToApi(prop: string | null, order: 'ascending' | 'descending' | null): MemberSort {
  if (!prop || !order) return 'name'
  const s = (order === 'descending' ? '-' : '') + prop
  return (MEMBER_SORTS as readonly string[]).includes(s) ? (s as MemberSort) : 'name'
}
export function apiSortToTable(s: MemberSort): { prop: string; order: 'ascending' | 'descending' } {
  return s.startsWith('-') ? { prop: s.slice(1), order: 'descending' } : { prop: s, order: 'ascending' }
}

/* ---------- audit trail ---------- */

/** The entity kinds of GET /api/v1/audit, from the OpenAPI enum (schema.d.ts). */
export type AuditEntity = NonNullable<NonNullable<operations['get_audit']['parameters']['query']>['entity']>
// The type check fails when this record misses or adds a kind of the API's enum.
const auditEntities: Record<AuditEntity, true> = { org: true, member: true, user: true, token: true, import: true }
export const AUDIT_ENTITIES = Object.keys(auditEntities) as AuditEntity[]

export interface AuditFilter {
  org?: number
  entity: AuditEntity | ''
  entity_id?: number
  /** the actor's user id */
  user?: number
  action: string
  from: string
  to: string
  page: number
}

export function parseAuditQuery(q: RouteQuery): AuditFilter {
  const date = (k: string) => (/^\d{4}-\d{2}-\d{2}$/.test(qString(q, k)) ? qString(q, k) : '')
  return {
    org: qOptInt(q, 'org'), entity: qEnum(q, 'entity', [...AUDIT_ENTITIES, ''] as const, ''), entity_id: qOptInt(q, 'entity_id'), user: qOptInt(q, 'user'),
    action: qString(q, 'action'), from: date('from'), to: date('to'), page: qInt(q, 'page', 1),
  }
}

export function auditRouteQuery(f: AuditFilter): Record<string, string> {
  const out: Record<string, string> = {}
  if (f.org) out.org = String(f.org)
  if (f.entity_id) out.entity_id = String(f.entity_id)
  if (f.user) out.user = String(f.user)
  for (const k of ['entity', 'action', 'from', 'to'] as const) if (f[k]) out[k] = f[k]
  if (f.page !== 1) out.page = String(f.page)
  return out
}

/** The audit API query: calendar days of China Standard Time become RFC 3339 instants. */
export function auditApiQuery(f: AuditFilter) {
  return {
    org: f.org, entity: f.entity || undefined, entity_id: f.entity_id, user: f.user, action: f.action || undefined,
    from: f.from ? `${f.from}T00:00:00+08:00` : undefined, to: f.to ? `${f.to}T23:59:59+08:00` : undefined, page: f.page,
  }
}
