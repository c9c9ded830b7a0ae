import type { Widen } from '@/shared/i18n/widen'
import type zhCN from './locales.zh-CN'

const enUS: Widen<typeof zhCN> = {
  rectify: {
    nav: 'Rectifications', title: 'Rectification items', problem: 'Problem', org: 'Organization', owner: 'Owner', due: 'Due', state: 'State', overdue: 'Overdue',
    states: { open: 'Open', submitted: 'Awaiting closure', returned: 'Returned', closed: 'Closed' }, all: 'All', toVerify: 'To verify',
    notes: 'Progress', noNotes: 'No progress notes yet', text: 'Note', progress: 'Add progress', submit: 'Ask for closure', close: 'Close', return: 'Return',
    done: 'Saved', none: 'No rectification items', summary: '{open} open, {overdue} overdue', textRequired: 'Please write a note',
    source: { secreport: 'Secretary report', conversion: 'Conversion plan', inspection: 'Inspection', test: 'Test' },
  },
  secreport: {
    nav: 'Secretary reports', title: "Secretaries' reports on Party building", year: 'Year', mine: 'My report', round: 'Round of my level', open: 'Open the {year} round',
    noRound: 'No round for {year} yet', noReport: 'No report for you in {year}', rules: 'Rules: {name} ({version})',
    org: 'Organization', state: 'State', states: { draft: 'Draft', submitted: 'Submitted' }, result: 'Result', score: '{score} points', noVotes: 'Not appraised',
    skeleton: "The year's record (from the system)", lifeMet: 'Periods of organizational life met', points: 'Points: {n} members with points, average {avg}',
    noPoints: 'No member points this year', stars: 'Stars: none held', starsHeld: 'Stars: {band} ({n} stars)', tasks: "The year's tasks: {total}, {done} completed, {open} open ({overdue} overdue)", noTasks: "The year's tasks: none", lastYear: "Last year's rectifications: {closed} closed, {open} open",
    body: 'Report', bodyHint: 'Start from the record: duties carried out, problems, next steps', save: 'Save draft', submit: 'Submit',
    votes: 'Appraisal votes', comment: 'Comment', saveVotes: 'Save votes', explain: 'How it was computed', problems: 'Problems (become rectification items)',
    addProblem: 'Add to rectifications', problem: 'Problem', owner: 'Owner', due: 'Due', view: 'View', saved: 'Saved', submitted: 'Submitted',
  },
  classify: {
    nav: 'Classification', title: 'Classifying branches', year: 'Year', distribution: 'Distribution', warnings: 'Share warnings (saving is not blocked)',
    branch: 'Branch', class: 'Class', reasons: 'Reasons', decide: 'Classify', decided: 'Classified', none: 'Nothing classified this year',
    openPlans: '{n} open conversion plans', plan: 'Conversion plan', newPlan: 'Make a conversion plan', leader: 'Leader in charge', problems: 'Problems',
    due: 'Due', measures: 'Measures', measure: 'Measure', addMeasure: 'Add a measure', accept: 'Acceptance', converted: 'Converted (closed)',
    extended: 'Extend', result: 'Result', note: 'Note', planStates: { open: 'Open', converted: 'Closed' },
    current: 'Current class: {name} ({year})', noClass: 'Not classified', history: 'History', extensions: 'Extended {n} time(s)', pick: 'Choose a branch',
    proposals: 'Proposed by the star assessment', proposalsHint: "From the year's assessment results by this level's rules: a reference; the level decides, with reasons", noProposal: 'No matching class', decidedAs: 'decided {name}', take: 'Use as the basis',
  },
}
export default enUS
