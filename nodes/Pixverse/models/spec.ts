/**
 * What a PixVerse model on Segmind is, as data: its endpoint, its fields and its combination
 * rules. Each model is one `ModelSpec` (one file per Segmind endpoint in this folder), and the
 * panel (../description), the check before sending (./validation.ts) and the README's model
 * tables all follow from it, so a rule is written once.
 *
 * A spec lists only the fields Segmind's own page shows for that endpoint (its parameter list or
 * its sample request, docs/pixverse-models.md): the node never sends a field the evidence does
 * not show.
 */

/** The operations of resource Video that generate, each with the inputs it takes. */
export const GENERATION_OPERATIONS = [
	'generateFromImage',
	'generateFromText',
	'transitionBetweenFrames',
	'extendVideo',
	'copyMotion',
	'applyEffect',
] as const;
export type GenerationOperation = (typeof GENERATION_OPERATIONS)[number];

/** A value a person can pick: text ("540p") or a whole number (8 seconds). */
export type Choice = string | number;

type FieldBase = {
	/** The field's name in the JSON body Segmind receives. */
	body: string;
	/** The parameter's name in the node's panel (and in expressions: `$parameter.quality`). */
	parameter: string;
	/** The name a person sees. Validation messages use it too. */
	label: string;
	description: string;
	/** Main fields are always shown; additional ones are added from "Additional Fields". */
	placement: 'main' | 'additional';
	/** A model serving several operations may take this field in some of them only. */
	onlyIn?: readonly GenerationOperation[];
};

export type TextField = FieldBase & {
	type: 'text';
	required: boolean;
	maxLength: number;
	placeholder?: string;
	rows?: number;
};

/** A public http(s) URL; image inputs may come from a binary field instead (uploaded first). */
export type MediaField = FieldBase & {
	type: 'media';
	media: 'image' | 'video';
	/** What the input is, in words ("First Frame"); its label is this and "URL". */
	input: string;
	required: boolean;
	placeholder?: string;
	/**
	 * Images only: the panel's switch between a URL and a binary field of the input item, and
	 * the parameter naming that field. Segmind Storage takes images only, so a video is a URL.
	 */
	fromBinary?: { sourceParameter: string; fieldParameter: string; fieldLabel: string };
};

export type ChoiceField = FieldBase & {
	type: 'choice';
	values: readonly Choice[];
	default: Choice;
	/** How a value reads in the panel, when the value itself is not readable ("3d_animation"). */
	labels?: Readonly<Record<string, string>>;
};

export type IntegerField = FieldBase & {
	type: 'integer';
	min: number;
	max: number;
	default: number;
};

export type SwitchField = FieldBase & { type: 'switch'; default: boolean };

/**
 * A value Segmind requires that has one allowed value for this model (V5's motion mode is
 * "normal"): sent as it is, never shown as a choice that is not one.
 */
export type FixedField = Omit<FieldBase, 'placement' | 'description' | 'parameter'> & {
	type: 'fixed';
	value: Choice;
};

export type FieldSpec =
	| TextField
	| MediaField
	| ChoiceField
	| IntegerField
	| SwitchField
	| FixedField;

/** A condition on one body field: it holds while the field's value is one of `values`. */
export type Condition = { field: string; values: readonly Choice[] };

/**
 * "While `when` holds, only `allow` is possible": PixVerse's combination rules, e.g. at 1080p only
 * normal motion and 5 seconds. Keys of `allow` are body fields. One condition per rule: n8n
 * hides an option while any one of its hide conditions holds, never only while two hold together,
 * so a rule the panel could not enforce cannot be written. The words a person reads (panel
 * notices, the README, validation errors) are made from these values (./ruleWords.ts), never
 * written beside them.
 */
export type CombinationRule = {
	when: Condition;
	allow: Readonly<Record<string, readonly Choice[]>>;
};

/** A field that means something only with a switch on; sent alone, Segmind may refuse it. */
export type SwitchDependency = { field: string; switch: string };

export type ModelSpec = {
	/** Segmind's name for the endpoint: POST /v1/<slug> and /v2/<slug>. */
	slug: string;
	/** As the Model field shows it, e.g. "PixVerse V5". */
	name: string;
	/** One line on what sets it apart, shown under the name. */
	summary: string;
	/** The operations it serves (a text-or-image model serves two). */
	operations: readonly GenerationOperation[];
	fields: readonly FieldSpec[];
	rules: readonly CombinationRule[];
	/** Fields sent only with a switch on (a sound effect prompt needs Sound Effects). */
	switchDependencies?: readonly SwitchDependency[];
	/**
	 * Segmind's published average generation time: Wait for Video plans its status checks
	 * from it (../actions/jobWait.ts).
	 */
	typicalSeconds: number;
	/** Segmind's published price per video, as a range or an average. */
	price: string;
	/** Where the fields come from. */
	source: string;
};

/** The fields of a spec that an operation sends (all but those restricted to other operations). */
export function fieldsFor(spec: ModelSpec, operation: GenerationOperation): FieldSpec[] {
	return spec.fields.filter((field) => !field.onlyIn || field.onlyIn.includes(operation));
}

/**
 * The values a choice allows once the other fields hold what `body` holds: its own list,
 * narrowed by every rule whose condition holds. A field no rule mentions keeps its list.
 */
export function allowedValues(
	spec: ModelSpec,
	field: ChoiceField,
	body: Readonly<Record<string, unknown>>,
): Choice[] {
	return spec.rules.reduce<Choice[]>(
		(allowed, rule) =>
			rule.allow[field.body] && ruleApplies(rule, body)
				? allowed.filter((value) => rule.allow[field.body].includes(value))
				: allowed,
		[...field.values],
	);
}

export function ruleApplies(rule: CombinationRule, body: Readonly<Record<string, unknown>>) {
	return rule.when.values.includes(body[rule.when.field] as Choice);
}

/** The label a person sees for a body field of this model (the field itself when it has none). */
export function labelOf(spec: ModelSpec, body: string): string {
	return spec.fields.find((field) => field.body === body)?.label ?? body;
}
