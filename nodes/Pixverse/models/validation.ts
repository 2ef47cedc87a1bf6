/**
 * The check a request body passes before it is sent, built from the model's spec: every value
 * from an expression is held to what this model allows, and a failure names the field as the
 * panel shows it, the value given and what is allowed, before any credit can be spent.
 */
import { z } from 'zod';

import {
	allowedValues,
	fieldsFor,
	labelOf,
	ruleApplies,
	type Choice,
	type ChoiceField,
	type FieldSpec,
	type GenerationOperation,
	type ModelSpec,
} from './spec';
import { IMAGE_TYPES_IN_WORDS } from './inputLimits';

export type Violation = { field: string; message: string };
export type CheckedBody = Record<string, string | number | boolean>;

const listOf = (values: readonly unknown[]) => values.join(', ');
export const quoted = (value: unknown) =>
	value === undefined || value === null || value === '' ? '(empty)' : JSON.stringify(value);

function isHttpUrl(value: string) {
	try {
		const { protocol } = new URL(value);
		return protocol === 'http:' || protocol === 'https:';
	} catch {
		return false;
	}
}

/**
 * Values from expressions arrive as strings ("8" from a webhook query); a whole-number string is
 * what the person meant, so it becomes a number. Anything else is left for the check to refuse.
 */
function wholeNumberFromString(value: unknown) {
	return typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
}

/** An optional field left empty (or added and cleared) is not sent at all. */
function emptyToUndefined(value: unknown) {
	if (value === null || value === undefined) return undefined;
	if (typeof value === 'string' && value.trim() === '') return undefined;
	return value;
}

function booleanFromString(value: unknown) {
	if (value === 'true') return true;
	if (value === 'false') return false;
	return value;
}

const WHAT_TO_GIVE: Record<string, string> = {
	prompt: 'describe what should happen in the video',
	image: 'give a public http(s) link to the image',
	video: 'give a public http(s) link to the video',
};

function fieldSchema(field: Exclude<FieldSpec, { type: 'fixed' }>): z.ZodTypeAny {
	switch (field.type) {
		case 'text': {
			const hint = WHAT_TO_GIVE[field.body] ?? 'enter some text';
			const text = z
				.string({
					invalid_type_error: `${field.label} must be text`,
					required_error: `${field.label} is required: ${hint}`,
				})
				.trim()
				.max(
					field.maxLength,
					`${field.label} is too long: at most ${field.maxLength} characters are allowed`,
				);
			return field.required
				? text.min(1, `${field.label} is empty: ${hint}`)
				: z.preprocess(emptyToUndefined, text.optional());
		}
		case 'media':
			return z
				.string({
					invalid_type_error: `${field.label} must be text`,
					required_error: `${field.label} is required: ${WHAT_TO_GIVE[field.media]}`,
				})
				.trim()
				.refine(
					isHttpUrl,
					field.media === 'image'
						? `is not valid: it must be a public http:// or https:// link to a ${IMAGE_TYPES_IN_WORDS} image`
						: 'is not valid: it must be a public http:// or https:// link to the video',
				);
		case 'choice': {
			const numbers = field.values.every((value) => typeof value === 'number');
			const choice = z.custom<Choice>((value) => field.values.includes(value as Choice), {
				message: `is not valid: allowed values are ${listOf(field.values)}${numbers && field.body === 'duration' ? ' (seconds)' : ''}`,
			});
			const fromText = numbers ? z.preprocess(wholeNumberFromString, choice) : choice;
			return field.placement === 'additional'
				? z.preprocess(emptyToUndefined, fromText.optional())
				: fromText;
		}
		case 'integer':
			return z.preprocess(
				(value) => wholeNumberFromString(emptyToUndefined(value)),
				z
					.custom<number>(
						(value) =>
							typeof value === 'number' &&
							Number.isInteger(value) &&
							value >= field.min &&
							value <= field.max,
						{
							message: `is not valid: allowed are whole numbers from ${field.min} to ${field.max}`,
						},
					)
					.optional(),
			);
		case 'switch':
			return z.preprocess(
				(value) => booleanFromString(emptyToUndefined(value)),
				z.boolean({ invalid_type_error: `${field.label} must be true or false` }).optional(),
			);
	}
}

/** The first rule a set of valid values breaks, as "<Field> <value> is not available with ...". */
function combinationViolation(
	spec: ModelSpec,
	fields: FieldSpec[],
	body: Record<string, unknown>,
): { path: string; message: string } | undefined {
	for (const field of fields) {
		if (field.type !== 'choice' || body[field.body] === undefined) continue;
		const allowed = allowedValues(spec, field, body);
		if (allowed.includes(body[field.body] as Choice)) continue;
		const rule = spec.rules.find(
			(candidate) =>
				candidate.allow[field.body] &&
				!candidate.allow[field.body].includes(body[field.body] as Choice) &&
				ruleApplies(candidate, body),
		);
		const because = rule
			? ` with ${labelOf(spec, rule.when.field)} ${String(body[rule.when.field])}`
			: '';
		return {
			path: field.body,
			message: `is not available${because}: allowed is ${listOf(allowed)}`,
		};
	}
	return undefined;
}

/** Checks that only run on values that are each valid: a broken value has its own message. */
function allValid(fields: FieldSpec[], body: Record<string, unknown>) {
	return fields.every(
		(field) =>
			field.type !== 'choice' ||
			body[field.body] === undefined ||
			field.values.includes(body[field.body] as Choice),
	);
}

export type ModelCheck = (
	body: Record<string, unknown>,
) => { ok: true; body: CheckedBody } | { ok: false; violations: Violation[] };

/**
 * The check for one model in one operation. Fixed values (V5's normal motion) are added to the
 * body here, so they are sent whatever the panel held.
 */
export function checkerFor(spec: ModelSpec, operation: GenerationOperation): ModelCheck {
	const fields = fieldsFor(spec, operation);
	const sent = fields.filter(
		(field): field is Exclude<FieldSpec, { type: 'fixed' }> => field.type !== 'fixed',
	);
	const shape = z
		.object(Object.fromEntries(sent.map((field) => [field.body, fieldSchema(field)])))
		.strict()
		.superRefine((body, context) => {
			for (const { field, switch: needed } of spec.switchDependencies ?? []) {
				if (body[field] !== undefined && body[needed] !== true) {
					context.addIssue({
						code: z.ZodIssueCode.custom,
						path: [field],
						message: `${labelOf(spec, field)} needs ${labelOf(spec, needed)} on: add ${labelOf(spec, needed)} under Additional Fields and turn it on, or leave ${labelOf(spec, field)} empty`,
					});
				}
			}
			if (!allValid(fields, body)) return;
			const violation = combinationViolation(spec, fields, body);
			if (violation) {
				context.addIssue({
					code: z.ZodIssueCode.custom,
					path: [violation.path],
					message: violation.message,
				});
			}
		});
	const labels = new Map(fields.map((field) => [field.body, field.label]));

	return (body) => {
		const result = shape.safeParse(body);
		if (result.success) {
			const checked: CheckedBody = {};
			for (const field of fields) {
				const value = field.type === 'fixed' ? field.value : result.data[field.body];
				// Optional fields left empty are absent, not `undefined`, in what is sent.
				if (value !== undefined) checked[field.body] = value as string | number | boolean;
			}
			return { ok: true, body: checked };
		}
		const violations = result.error.issues.map((issue) => {
			if (issue.code === z.ZodIssueCode.unrecognized_keys) {
				return {
					field: issue.keys.join(', '),
					message: `Unknown field ${listOf(issue.keys)}: ${spec.name} accepts only ${listOf(sent.map((field) => field.body))}`,
				};
			}
			const key = String(issue.path[0]);
			const label = labels.get(key) ?? key;
			// Messages that start with the label are whole sentences; the others are the tail of
			// "<Label> <value> <message>".
			if (issue.message.startsWith(label)) return { field: label, message: issue.message };
			return { field: label, message: `${label} ${quoted(body[key])} ${issue.message}` };
		});
		return { ok: false, violations };
	};
}

/** Every (model, operation) check, built once when the node loads: specs do not change. */
export function checkersByModel(specs: readonly ModelSpec[]) {
	const checkers = new Map<string, ModelCheck>();
	for (const spec of specs) {
		for (const operation of spec.operations) {
			checkers.set(`${operation}:${spec.slug}`, checkerFor(spec, operation));
		}
	}
	return (operation: GenerationOperation, spec: ModelSpec) =>
		checkers.get(`${operation}:${spec.slug}`)!;
}

export type { ChoiceField };
