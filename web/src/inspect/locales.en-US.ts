import type { Widen } from '@/shared/i18n/widen'
import type zh from './locales.zh-CN'

const en: Widen<typeof zh> = {
  inspect: {
    title: 'Special inspections',
    link: 'Inspections',
    none: 'No inspections at this level yet',
    plan: 'New inspection',
    topic: 'Topic',
    checklist: 'Checklist (one item a line)',
    orgs: 'Organizations visited',
    inspectors: 'Inspectors (one a line)',
    dates: 'Dates',
    create: 'Save',
    start: 'Start',
    finish: 'Finish',
    counts: '{findings} finding(s) · {open} open · {overdue} overdue · {closed} closed',
    states: { planned: 'Planned', in_progress: 'In progress', finished: 'Finished' },
    visited: 'Visited',
    findings: 'Findings',
    noFindings: 'No findings yet',
    addFinding: 'Record a finding',
    org: 'Organization',
    item: 'Checklist item',
    problem: 'Problem',
    evidence: 'Evidence',
    link_: 'Evidence link',
    owner: 'Owner',
    due: 'Due date',
    severity: 'Severity',
    severities: { none: 'Not graded', minor: 'Minor', major: 'Major', serious: 'Serious' },
    saved: 'Saved',
    toRectify: 'Rectification items',
  },
}
export default en
