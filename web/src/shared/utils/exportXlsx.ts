// Client-side .xlsx export of a small table (chart data). The library is loaded only when used.
import { saveBlob } from '@/shared/api/client'

export async function exportTable(fileName: string, header: string[], rows: (string | number)[][]) {
  const { default: writeXlsxFile } = await import('write-excel-file/universal')
  const data = [header.map((h) => ({ value: h, fontWeight: 'bold' as const })), ...rows.map((r) => r.map((v) => ({ value: v })))]
  const blob = await writeXlsxFile(data, { columns: header.map(() => ({ width: 24 })) }).toBlob()
  saveBlob(blob, fileName.endsWith('.xlsx') ? fileName : `${fileName}.xlsx`)
}
