/** Medians and a plain-text table, shared by both benchmarks (they print, they never assert). */
export type Row = string[];

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export const milliseconds = (value: number) => `${Math.round(value)} ms`;

export function bytes(value: number): string {
	const sign = value < 0 ? '-' : '';
	const size = Math.abs(value);
	if (size >= 1024 * 1024) return `${sign}${(size / (1024 * 1024)).toFixed(1)} MB`;
	if (size >= 1024) return `${sign}${(size / 1024).toFixed(1)} KB`;
	return `${sign}${size} B`;
}

/** a / b, or a dash where a ratio means nothing (nothing to divide by). */
export function ratio(a: number, b: number): string {
	return b === 0 ? '-' : `${(a / b).toFixed(2)}`;
}

/** A Markdown table, so a run pastes into BENCHMARKS.md as it is. */
export function formatTable(header: string[], rows: Row[]): string {
	const widths = header.map((title, column) =>
		Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
	);
	const line = (cells: string[]) =>
		`| ${cells.map((cell, column) => (cell ?? '').padEnd(widths[column])).join(' | ')} |`;
	return [header, widths.map((width) => '-'.repeat(width)), ...rows].map(line).join('\n');
}
