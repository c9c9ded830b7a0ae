// Locale-aware display of the API's values. Business dates ("YYYY-MM-DD") are calendar dates and
// are shown as such; instants (RFC 3339, UTC) are shown in China Standard Time.

export const BUSINESS_TZ = 'Asia/Shanghai'

export function formatNumber(n: number | null | undefined, locale: string): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—'
  return new Intl.NumberFormat(locale).format(n)
}

export function formatPercent(part: number, whole: number, locale: string): string {
  if (!whole) return '—'
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(part / whole)
}

/** A business date "YYYY-MM-DD" in the locale's medium style; other strings are returned as given. */
export function formatDate(s: string | null | undefined, locale: string): string {
  if (!s) return '—'
  // A masked date is its year only.
  if (/^\d{4}$/.test(s)) return new Intl.DateTimeFormat(locale, { year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(+s, 6, 1)))
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (!m) return s
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]))
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(d)
}

/** An instant, shown in China Standard Time. */
export function formatDateTime(s: string | null | undefined, locale: string): string {
  if (!s) return '—'
  const d = new Date(s)
  if (Number.isNaN(d.getTime())) return s
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: BUSINESS_TZ,
  }).format(d)
}

/** A duration in seconds as the largest sensible unit, rounded up ("15 分钟", "15 min"). */
export function durationParts(seconds: number): { unit: 'seconds' | 'minutes' | 'hours'; n: number } {
  const s = Math.max(0, Math.ceil(seconds))
  if (s < 60) return { unit: 'seconds', n: s }
  if (s < 3600) return { unit: 'minutes', n: Math.ceil(s / 60) }
  return { unit: 'hours', n: Math.ceil(s / 3600) }
}
