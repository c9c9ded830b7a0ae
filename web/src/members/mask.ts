// Display of personal data that the API may send masked ("33***************4", "138****5678",
// a date as its year "1985").

export function isMasked(v: string | null | undefined): boolean {
  return !!v && v.includes('*')
}

/** A date the API sent masked: its year only. */
export function isMaskedDate(v: string | null | undefined): boolean {
  return !!v && /^\d{4}$/.test(v)
}

/**
 * The text to show for a possibly masked value: empty values become a dash, masked values keep
 * their stars but are grouped so that a screen reader does not read "star" twelve times.
 */
export function displayMasked(v: string | null | undefined): { text: string; masked: boolean; spoken: string } {
  if (!v) return { text: '—', masked: false, spoken: '—' }
  if (!isMasked(v)) return { text: v, masked: false, spoken: v }
  const stars = (v.match(/\*/g) || []).length
  const visible = v.replace(/\*+/g, ' … ')
  return { text: v, masked: true, spoken: `${visible.trim()} (${stars})` }
}
