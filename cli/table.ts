/** Rows as aligned text columns, indented: numbers right-aligned, the rest left. */
export function table(rows: readonly (readonly (string | number)[])[]): string {
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, column) => (widths[column] = Math.max(widths[column] ?? 0, String(cell).length)))
  const line = (row: readonly (string | number)[]) =>
    row.map((cell, column) => (typeof cell === 'number' ? String(cell).padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ')
  return rows.map(row => `  ${line(row).trimEnd()}`).join('\n')
}
