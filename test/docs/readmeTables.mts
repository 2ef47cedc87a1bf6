/**
 * The README's model and billing tables, made from the node's own model specs and billing table,
 * so the README says exactly what the node does. The test checks the README holds them as they
 * are made; `npm run docs:tables` writes them in.
 */
import { MODELS, OPERATIONS, GENERATION_OPERATIONS } from '../../nodes/Pixverse/models';
import { PROMPT_MAX_LENGTH } from '../../nodes/Pixverse/models/fields';
import { compactChoices, ruleInWords } from '../../nodes/Pixverse/models/ruleWords';
import { fieldsFor, type ModelSpec } from '../../nodes/Pixverse/models/spec';
import { BILLING, type Outcome } from '../../nodes/Pixverse/transport/billing';
import {
	FAILURE_KINDS,
	type CallKind,
	type FailureKind,
} from '../../nodes/Pixverse/transport/failures';

const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const table = (header: string[], rows: string[][]) =>
	[row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');

/** A choice's values, short: a run of whole numbers as a range. */
const values = (list: readonly (string | number)[]) => compactChoices(list).join(', ');

function describeFields(
	model: ModelSpec,
	operation: (typeof GENERATION_OPERATIONS)[number],
	placement: 'main' | 'additional',
) {
	return fieldsFor(model, operation)
		.filter((field) =>
			field.type === 'fixed' ? placement === 'main' : field.placement === placement,
		)
		.map((field) => {
			switch (field.type) {
				case 'choice':
					return `${field.label} ${values(field.values)}`;
				case 'integer':
					return `${field.label} ${field.min} to ${field.max}`;
				case 'fixed':
					return `${field.label} always ${field.value}`;
				case 'switch':
					return placement === 'main'
						? `${field.label} (default ${field.default ? 'on' : 'off'})`
						: field.label;
				case 'text':
					return field.maxLength === PROMPT_MAX_LENGTH
						? field.label
						: `${field.label} (${field.maxLength} characters)`;
				case 'media':
					return `${field.input}${field.fromBinary ? ' (URL or binary)' : ' (URL)'}`;
			}
		})
		.join('; ');
}

/** One table per operation: its models, their fields, rules, typical time and price. */
export function modelTables(): string {
	return GENERATION_OPERATIONS.map((operation) => {
		const models = MODELS.filter((model) => model.operations.includes(operation));
		return [
			`**${OPERATIONS[operation].name}**`,
			'',
			table(
				['Model', 'Fields', 'Additional fields', 'Rules', 'Typical time', 'Price'],
				models.map((model) => [
					`${model.name}${model.slug === OPERATIONS[operation].defaultModel ? ' (default)' : ''}<br>\`${model.slug}\``,
					describeFields(model, operation, 'main'),
					describeFields(model, operation, 'additional') || '-',
					model.rules.map((rule) => ruleInWords(model, rule)).join('; ') || '-',
					`~${model.typicalSeconds} s`,
					model.price,
				]),
			),
		].join('\n');
	}).join('\n\n');
}

const CALLS: Array<[CallKind, string]> = [
	['generation', 'Single Request'],
	['submit', 'Queue submit'],
	['jobRead', 'Job check'],
	['download', 'Video download'],
	['upload', 'Image upload'],
];

const KIND_NAMES: Record<FailureKind, string> = {
	invalidInput: 'A field breaks the model’s rules',
	notSent: 'Could not connect (refused, DNS)',
	rateLimited: '429 rate limited',
	// A job check's 404 is its own kind (jobUnknown), the row further down.
	refused: '400, 401, 403, 404 (job check: below), 406, 410',
	serverError: '500, 503 (Segmind answered)',
	gatewayError: '502, 504 (a gateway)',
	noAnswer: 'No answer before the timeout',
	dropped: 'Connection dropped before the answer',
	cutOff: 'Answer cut off mid-way',
	unusableAnswer: 'A 200 without a video or ID',
	jobFailed: 'The job failed (422 / FAILED)',
	jobUnknown: 'Unknown or expired request ID (404)',
	jobStillRunning: 'Not ready within Max Wait',
};

const BILLED_WORDS: Record<Outcome['billed'], string> = {
	notBilled: 'free',
	nothingGenerated: 'free',
	mayBeBilled: '**may be billed**',
	billed: '**billed**',
	jobGoesOn: 'the job goes on',
	alreadyPaid: 'already paid',
};
const RETRIED_WORDS: Record<Outcome['retried'], string> = {
	yes: 'retried',
	no: 'not retried',
	optIn: 'retried only if allowed',
};

/** What each failure means for money and whether the node tries again, for each kind of call. */
export function billingTable(): string {
	const kinds = FAILURE_KINDS.filter((kind) => CALLS.some(([call]) => BILLING[call][kind]));
	return table(
		['Failure', ...CALLS.map(([, name]) => name)],
		kinds.map((kind) => [
			KIND_NAMES[kind],
			...CALLS.map(([call]) => {
				const outcome = BILLING[call][kind];
				return outcome ? `${RETRIED_WORDS[outcome.retried]}; ${BILLED_WORDS[outcome.billed]}` : '-';
			}),
		]),
	);
}

const NUMBER_WORDS =
	'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty'.split(
		' ',
	);

/** How many models the node offers, as the README's first paragraph says it ("ten"). */
export function modelCount(): string {
	return NUMBER_WORDS[MODELS.length] ?? String(MODELS.length);
}

/** Each generated block: tables on lines of their own, a count inside a sentence. */
export const GENERATED: Record<string, { make: () => string; inline?: boolean }> = {
	modelCount: { make: modelCount, inline: true },
	models: { make: modelTables },
	billing: { make: billingTable },
};

/** The README with each generated block (between its markers) made anew. */
export function withTables(readme: string): string {
	let text = readme;
	for (const [name, { make, inline }] of Object.entries(GENERATED)) {
		const start = `<!-- generated:${name} -->`;
		const end = `<!-- /generated:${name} -->`;
		const from = text.indexOf(start);
		const to = text.indexOf(end);
		if (from === -1 || to === -1) throw new Error(`README has no ${start} ... ${end} block`);
		const made = inline ? make() : `\n${make()}\n`;
		text = `${text.slice(0, from + start.length)}${made}${text.slice(to)}`;
	}
	return text;
}
