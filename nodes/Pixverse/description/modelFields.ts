/**
 * The panel's model fields, derived from the model specs (../models): one property per field,
 * shown for exactly the operations and models that take it, and for choices one option per
 * value, shown only for the models and combinations that allow it. An invalid combination is
 * therefore never offered, and the rules stay in the specs.
 *
 * One property per parameter name matters for cost: n8n's RoutingNode evaluates every property
 * of the description for every item, so several properties sharing a name would evaluate an
 * expression in that field several times per item. Options are filtered by their own display
 * conditions instead (INodePropertyOptions.displayOptions), which cost nothing at run time.
 */
import type {
	IDisplayOptions,
	INodeProperties,
	INodePropertyOptions,
	NodeParameterValue,
} from 'n8n-workflow';

import {
	fieldsFor,
	type Choice,
	type ChoiceField,
	type FieldSpec,
	type GenerationOperation,
	type ModelSpec,
} from '../models/spec';
import { fieldWithValues, ruleInWords } from '../models/ruleWords';

type ShownField = FieldSpec & { type: Exclude<FieldSpec['type'], 'fixed'> };

/** Each (operation, model) that shows a field, with the field as that model defines it. */
type FieldUse = { operation: GenerationOperation; model: ModelSpec; field: ShownField };

function usesOf(models: readonly ModelSpec[], parameter: string): FieldUse[] {
	return models.flatMap((model) =>
		model.operations.flatMap((operation) =>
			fieldsFor(model, operation)
				.filter(
					(field): field is ShownField => field.type !== 'fixed' && field.parameter === parameter,
				)
				.map((field) => ({ operation, model, field })),
		),
	);
}

const unique = <T>(values: T[]) => [...new Set(values)];
const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/**
 * The condition showing a field for exactly these uses. Where every model of its operations
 * takes it, the operation decides alone; otherwise the model too. `prefix` is '/' inside a
 * collection, whose conditions look at the root parameters.
 */
function showFor(
	models: readonly ModelSpec[],
	uses: FieldUse[],
	prefix = '',
): NonNullable<IDisplayOptions['show']> {
	const operations = unique(uses.map((use) => use.operation));
	const slugs = unique(uses.map((use) => use.model.slug));
	const everyModel = operations.every((operation) =>
		models
			.filter((model) => model.operations.includes(operation))
			.every((model) => uses.some((use) => use.operation === operation && use.model === model)),
	);
	return {
		[`${prefix}resource`]: ['video'],
		[`${prefix}operation`]: operations,
		...(everyModel ? {} : { [`${prefix}model`]: slugs }),
	};
}

/** A value's label: the spec's, or the value itself ("8 Seconds" for a duration). */
function optionName(field: ChoiceField, value: Choice) {
	if (field.labels?.[String(value)]) return field.labels[String(value)];
	return field.body === 'duration' ? `${value} Second${value === 1 ? '' : 's'}` : String(value);
}

/**
 * When a model's rules forbid a value, keyed by the parameter whose value forbids it. A rule
 * "at 1080p, normal motion and 5 s only" hides Fast and 8 s while 1080p is picked, and hides
 * 1080p while Fast or 8 s is picked: so no order of picks reaches a combination the model cannot
 * render. n8n hides an option when any of its hide conditions holds, which is how rules combine.
 */
function hiddenWhen(model: ModelSpec, field: ChoiceField, value: Choice) {
	const hide: Record<string, Choice[]> = {};
	const add = (body: string, values: readonly Choice[]) => {
		const parameter = model.fields.find((candidate) => candidate.body === body);
		// A fixed value (V5's normal motion) is never picked, so it never hides anything.
		if (!parameter || parameter.type === 'fixed' || !values.length) return;
		hide[parameter.parameter] = unique([...(hide[parameter.parameter] ?? []), ...values]);
	};
	for (const { when, allow } of model.rules) {
		// This value is one the rule forbids: hidden while the rule's condition is picked.
		const allowed = allow[field.body];
		if (allowed && !allowed.includes(value)) add(when.field, when.values);
		// This value is the rule's condition: hidden while a value the rule forbids is picked.
		if (when.field === field.body && when.values.includes(value)) {
			for (const [body, allowedValues] of Object.entries(allow)) {
				const other = model.fields.find((candidate) => candidate.body === body);
				if (other?.type !== 'choice') continue;
				add(
					body,
					other.values.filter((candidate) => !allowedValues.includes(candidate)),
				);
			}
		}
	}
	return hide;
}

/**
 * The options of a choice: one per value and set of conditions. A value most models offer
 * freely and some only under conditions appears once per distinct condition, each shown for its
 * own models; at most one of them is ever shown.
 */
function choiceOptions(uses: FieldUse[]): INodePropertyOptions[] {
	const options = new Map<
		string,
		{ value: Choice; name: string; models: string[]; hide: object }
	>();
	const allValues = unique(uses.flatMap((use) => [...(use.field as ChoiceField).values]));
	const numeric = allValues.every((value) => typeof value === 'number');
	const ordered = numeric
		? [...allValues].sort((one, other) => Number(one) - Number(other))
		: allValues;
	for (const value of ordered) {
		for (const { model, field } of uses) {
			const choice = field as ChoiceField;
			if (!choice.values.includes(value)) continue;
			const hide = hiddenWhen(model, choice, value);
			const key = `${JSON.stringify(value)}|${JSON.stringify(hide)}`;
			const option = options.get(key) ?? {
				value,
				name: optionName(choice, value),
				models: [],
				hide,
			};
			option.models = unique([...option.models, model.slug]);
			options.set(key, option);
		}
	}
	const everyModel = unique(uses.map((use) => use.model.slug));
	return [...options.values()].map(({ value, name, models, hide }) => {
		const displayOptions: IDisplayOptions = {};
		if (models.length < everyModel.length) displayOptions.show = { model: models };
		if (Object.keys(hide).length) displayOptions.hide = hide as IDisplayOptions['hide'];
		return {
			name,
			value,
			...(Object.keys(displayOptions).length ? { displayOptions } : {}),
		};
	});
}

function sameEverywhere<T>(uses: FieldUse[], read: (field: ShownField) => T, what: string): T {
	const values = unique(uses.map((use) => JSON.stringify(read(use.field))));
	if (values.length > 1) {
		throw new Error(
			`${what} of "${uses[0].field.parameter}" differs between models: ${values.join(' / ')}`,
		);
	}
	return read(uses[0].field);
}

function limitsNote(uses: FieldUse[]) {
	const field = uses[0].field;
	if (field.type === 'text') {
		const longest = Math.max(...uses.map((use) => (use.field as { maxLength: number }).maxLength));
		const shortest = Math.min(...uses.map((use) => (use.field as { maxLength: number }).maxLength));
		return longest === shortest
			? ` At most ${shortest} characters.`
			: ` At most ${shortest} characters (${longest} for ${unique(uses.filter((use) => (use.field as { maxLength: number }).maxLength === longest).map((use) => use.model.name)).join(', ')}).`;
	}
	if (field.type === 'integer') {
		const ranges = unique(
			uses.map(
				(use) => `${(use.field as { min: number }).min} to ${(use.field as { max: number }).max}`,
			),
		);
		return ranges.length === 1 ? ` ${ranges[0]}.` : '';
	}
	return '';
}

/**
 * The properties of one parameter: one, unless models disagree on what the field starts on
 * (its type, label or default), when each such group of models gets its own, shown for them only.
 */
export function parameterProperties(
	models: readonly ModelSpec[],
	parameter: string,
	prefix = '',
): INodeProperties[] {
	const groups = new Map<string, FieldUse[]>();
	for (const use of usesOf(models, parameter)) {
		const { type, label } = use.field;
		const key = JSON.stringify([type, label, 'default' in use.field ? use.field.default : null]);
		groups.set(key, [...(groups.get(key) ?? []), use]);
	}
	return [...groups.values()].map((uses) => parameterProperty(models, parameter, prefix, uses));
}

/** The property of one parameter, as every model that has it (or `uses`) defines it. */
export function parameterProperty(
	models: readonly ModelSpec[],
	parameter: string,
	prefix = '',
	uses: FieldUse[] = usesOf(models, parameter),
): INodeProperties {
	if (!uses.length) throw new Error(`No model has a field "${parameter}"`);
	const field = uses[0].field;
	const label = sameEverywhere(uses, (one) => one.label, 'The label');
	const base = {
		displayName: label,
		name: parameter,
		description: `${sameEverywhere(uses, (one) => one.description, 'The description')}${limitsNote(uses)}`,
		displayOptions: { show: showFor(models, uses, prefix) },
		// Every value goes to Segmind under the API's name; preSend then checks the whole body.
		routing: { send: { type: 'body' as const, property: field.body } },
	};
	switch (field.type) {
		case 'text':
			return {
				...base,
				type: 'string',
				default: '',
				...(field.required && field.placement === 'main' ? { required: true } : {}),
				placeholder: field.placeholder,
				typeOptions: { rows: field.rows ?? 1 },
			};
		case 'media':
			return {
				...base,
				type: 'string',
				default: '',
				required: true,
				placeholder: field.placeholder,
			};
		case 'choice':
			return {
				...base,
				type: 'options',
				default: sameEverywhere(
					uses,
					(one) => (one as ChoiceField).default,
					'The default',
				) as NodeParameterValue,
				options: choiceOptions(uses),
			};
		case 'integer':
			return {
				...base,
				type: 'number',
				default: Math.min(...uses.map((use) => (use.field as { default: number }).default)),
				typeOptions: {
					minValue: Math.min(...uses.map((use) => (use.field as { min: number }).min)),
					maxValue: Math.max(...uses.map((use) => (use.field as { max: number }).max)),
					numberPrecision: 0,
				},
			};
		case 'switch':
			return {
				...base,
				type: 'boolean',
				default: sameEverywhere(
					uses,
					(one) => (one as { default: boolean }).default,
					'The default',
				),
			};
	}
}

/**
 * The Additional Fields of every generating operation, in one collection: each field shown for
 * the models that take it (conditions on the root parameters, '/model'). A field two models
 * define differently (the Seed field's range) is one entry per definition, at most one ever shown.
 */
export function additionalFieldsCollection(models: readonly ModelSpec[]): INodeProperties {
	const children = modelParameters(models, 'additional').flatMap((parameter) => {
		const byDefinition = new Map<string, FieldUse[]>();
		for (const use of usesOf(models, parameter)) {
			const key = JSON.stringify({ ...use.field, onlyIn: undefined });
			byDefinition.set(key, [...(byDefinition.get(key) ?? []), use]);
		}
		return [...byDefinition.values()].map((uses) =>
			parameterProperty(models, parameter, '/', uses),
		);
	});
	const operations = unique(
		models.flatMap((model) =>
			model.operations.filter((operation) =>
				fieldsFor(model, operation).some(
					(field) => field.type !== 'fixed' && field.placement === 'additional',
				),
			),
		),
	);
	return {
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: { resource: ['video'], operation: operations } },
		options: children.sort((one, other) => one.displayName.localeCompare(other.displayName)),
	};
}

/** Every parameter the models have, in the order the specs list them: main fields first. */
export function modelParameters(
	models: readonly ModelSpec[],
	placement: 'main' | 'additional',
): string[] {
	return unique(
		models.flatMap((model) =>
			model.fields
				.filter(
					(field): field is ShownField => field.type !== 'fixed' && field.placement === placement,
				)
				.map((field) => field.parameter),
		),
	);
}

/**
 * Why options are missing, shown where they are: each rule's own notice while its condition is
 * picked (at 1080p: only normal motion and 5 s), and while a value the rule forbids is picked, a
 * notice for the condition it hides ("Quality 1080p is not offered with Motion Mode fast"). Every
 * word comes from the rule's values and the model's labels (../models/ruleWords.ts).
 */
export function ruleNotices(models: readonly ModelSpec[]): INodeProperties[] {
	const notices = new Map<
		string,
		{ models: string[]; operations: GenerationOperation[]; when: Record<string, Choice[]> }
	>();
	const note = (text: string, model: ModelSpec, when: Record<string, Choice[]>) => {
		const notice = notices.get(text) ?? { models: [], operations: [], when };
		notice.models = unique([...notice.models, model.slug]);
		notice.operations = unique([...notice.operations, ...model.operations]);
		notices.set(text, notice);
	};
	const choiceOf = (model: ModelSpec, body: string) =>
		model.fields.find(
			(field): field is ChoiceField => field.body === body && field.type === 'choice',
		);
	for (const model of models) {
		for (const rule of model.rules) {
			const condition = choiceOf(model, rule.when.field);
			if (!condition) continue;
			const statement = ruleInWords(model, rule);
			note(statement, model, { [condition.parameter]: [...rule.when.values] });
			for (const [otherBody, allowed] of Object.entries(rule.allow)) {
				const other = choiceOf(model, otherBody);
				const forbidden = other?.values.filter((value) => !allowed.includes(value)) ?? [];
				if (!other || !forbidden.length) continue;
				note(
					`${fieldWithValues(model, rule.when.field, rule.when.values)} is not offered with ${fieldWithValues(model, otherBody, forbidden)}: ${lowerFirst(statement)}`,
					model,
					{ [other.parameter]: forbidden },
				);
			}
		}
	}
	return [...notices.entries()].map(([text, { models: slugs, operations, when }], index) => ({
		displayName: text,
		name: `ruleNotice${index + 1}`,
		type: 'notice',
		default: '',
		displayOptions: {
			show: { resource: ['video'], operation: operations, model: slugs, ...when },
		},
	}));
}
