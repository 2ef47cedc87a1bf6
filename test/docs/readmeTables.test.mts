/**
 * The README's model tables and billing table are the node's own specs and billing table, word
 * for word. Run `npm run docs:tables` after changing a spec or the billing table.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { withTables } from './readmeTables.mts';

const README = join(process.cwd(), 'README.md');

test('the README holds the model and billing tables as the code makes them', () => {
	const readme = readFileSync(README, 'utf8');
	const made = withTables(readme);
	if (process.env.WRITE_README_TABLES) writeFileSync(README, made);
	else expect(readme).toBe(made);
});
