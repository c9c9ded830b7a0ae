import type { Widen } from '@/shared/i18n/widen'
import type zhCN from './locales.zh-CN'

const enUS: Widen<typeof zhCN> = {
  points: {
    my: 'My points', inbox: 'Points claims', year: '{year}', total: 'Points this year', base: 'Base {base}', earned: 'Earned {n}',
    vetoed: 'A veto item applies this year: the total counts as 0', noScheme: 'No points scheme applies this year', stars: '{name} ({n} stars)', noStar: 'No star yet',
    byCategory: 'By category', byItem: 'By item', entries: 'Entries', noEntries: 'No entries yet', claims: 'My claims', noClaims: 'No claims yet',
    capOf: 'cap {cap}', times: '{n}×', reversal: 'Reversal', reversed: 'Reversed', requested: 'asked {n}',
    claim: 'Claim points', resubmit: 'Correct and send again', resubmitTitle: 'Correct and send the claim again', claimTitle: 'Claim points', pickItem: 'Choose an item', date: 'Date', note: 'Note (optional)', submit: 'Submit',
    submitted: 'Submitted; the branch will review it', perEvent: '{n} each', evidenceRecord: 'Link an activity you attended',
    evidenceAttachment: 'Proof needed (describe it in the note)',
    state: { pending: 'Pending', returned: 'Returned', approved: 'Approved', rejected: 'Rejected' },
    cat: { basic: 'Basic', reward: 'Reward', deduct: 'Deduction', veto: 'Veto' },
    source: { claim: 'Claim', branch: 'Entered by the branch', attendance: 'Attended organizational life', commitment: 'Kept commitment', volunteer: 'Volunteer service', import: 'Imported', appeal: 'Changed on appeal', reversal: 'Reversal' },
    onBehalf: 'Filed on behalf', selectAll: 'Select all', approveSelected: 'Approve selected ({n})', approve: 'Approve', return: 'Return', reject: 'Reject',
    reason: 'Reason', reasonRequired: 'Give a reason', approved: '{n} approved', decided: 'Done', none: 'No claims waiting',
    overview: 'Points overview', yearPick: 'Year', export: 'Export to Excel', backToOrg: 'Back to the organization', membersWith: 'Members with entries',
    average: 'Average points', pending: 'Claims pending', entryCount: 'Entries', distribution: 'Proposed stars', noMembers: 'No entries this year yet',
    bandsNote: 'Stars follow the scheme in force at the year\'s end (base {base} plus the points earned); only members with an entry this year are counted. Shares are a guide, never a quota.',
    children: 'Organizations below', org: 'Organization', memberTotals: 'Members\' points', name: 'Name', star: 'Proposed star', noEntriesShort: 'No entries',
    imp: {
      title: 'Import points', hint: 'When moving in from another system: import last year\'s totals or this year\'s entries so far. Check first; import when every row is right. A file with an error imports nothing.',
      template: 'Download the template', templateFile: 'points-import-template.xlsx', chooseFile: 'Choose an Excel or CSV file', check: 'Check', apply: 'Import',
      errors: 'Download the error report', errorsFile: 'points-import-errors.xlsx', row: 'Row', column: 'Column', message: 'Problem',
    },
  },
}
export default enUS
