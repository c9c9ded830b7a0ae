import type { Widen } from '@/shared/i18n/widen'
import type zhCN from './locales.zh-CN'

const enUS: Widen<typeof zhCN> = {
  member: {
    title: 'Member', roster: 'Member roster', name: 'Name', sex: 'Sex', ethnicity: 'Ethnicity', id_number: 'ID number',
    birth_date: 'Date of birth', education: 'Education', native_place: 'Native place', category: 'Category', join_date: 'Joined on',
    full_date: 'Full member since', position: 'Position', phone: 'Mobile phone', address: 'Home address', status: 'Status',
    status_note: 'Status note', age: 'Age', birthYear: 'Year of birth', org_name: 'Branch', group_name: 'Party group', org_id: 'Branch',
    created_at: 'Created', updated_at: 'Updated', masked: 'Some data is hidden', reveal: 'Show', revealHint: 'Viewing full data is recorded in the audit trail',
    revealed: 'Full data (viewing recorded)', editTitle: 'Edit member', history: 'History', life: 'Organizational life', details: 'Details',
    filterButton: 'Filter', filters: 'Filters', org: 'Organization', subtree: 'Include sub-organizations', q: 'Name / ID number tail / phone',
    qLabel: 'Search members', age_band: 'Age band', sort: 'Sort', columns: 'Columns', export: 'Export to Excel', exporting: 'Exporting…',
    count: '{n} members', open: 'Open', ageYears: '{n} years',
    add: 'Add member', addTitle: 'Add a member', added: 'Member {name} added',
    dateFormat: '{field}: enter a date such as 1985-03-12, 1985/3/12, 1985.03.12 or 19850312',
    datePlaceholder: 'e.g. 1985-03-12 or 19850312',
    revealTitle: 'Show full data', revealReason: 'Reason for viewing', revealReasonHint: 'e.g. checking the ID number for a transfer',
    revealReasonLong: 'The reason may have at most {n} characters', hide: 'Hide',
  },
  import: {
    title: 'Import members', stepTemplate: 'Template', stepUpload: 'Upload', stepReport: 'Check', stepResult: 'Done',
    org: 'Import into', template: 'Download the template', templateHint: 'Fill in the template; keep its first (header) row unchanged.',
    file: 'File (.xlsx or .csv)', upload: 'Upload and check', checking: 'Checking…', next: 'Next',
    totalRows: 'Rows', validRows: 'Valid rows', invalidRows: 'Rows with errors', skippedRows: 'Skipped rows',
    row: 'Row', column: 'Column', value: 'Value', reason: 'Reason', filter: 'Filter errors', filterColumn: 'Filter by column',
    skipInvalid: 'Skip the rows with errors and import only the valid rows', confirm: 'Import', applying: 'Importing…',
    noChange: 'The file has errors; nothing has been imported. Fix the file and upload it again, or choose to skip the bad rows.',
    allValid: 'All {n} rows are valid and can be imported.', applied: 'Import finished: {valid} rows imported, {skipped} skipped.',
    errorWorkbook: 'Download the error workbook', again: 'Import another file', nothingApplied: 'Nothing was imported.',
    chooseFile: 'Choose a file first', chooseOrgFirst: 'Choose an organization first',
    needOrg: 'Choose the organization to import into before uploading a file.', needFile: 'Choose the file to upload.', name: 'Name',
  },
}
export default enUS
