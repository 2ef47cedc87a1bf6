/**
 * A combination rule in words, made from its values and the model's own labels, so what the panel,
 * the README and an error say is always what the rule does, on any model it is given to.
 */
import { labelOf, type Choice, type CombinationRule, type ModelSpec } from './spec';

/** Values as a person reads them: a run of three or more whole numbers as "1 to 4". */
export function compactChoices(values: readonly Choice[]): string[] {
	const parts: string[] = [];
	for (let start = 0; start < values.length; ) {
		let end = start;
		while (typeof values[end] === 'number' && values[end + 1] === (values[end] as number) + 1) {
			end++;
		}
		parts.push(end - start >= 2 ? `${values[start]} to ${values[end]}` : String(values[start]));
		if (end - start === 1) parts.push(String(values[end]));
		start = end + 1;
	}
	return parts;
}

/** "a", "a or b", "a, b or c" (or with "and"). */
export function wordList(parts: readonly string[], conjunction: 'or' | 'and' = 'or'): string {
	if (parts.length < 2) return parts.join('');
	return `${parts.slice(0, -1).join(', ')} ${conjunction} ${parts[parts.length - 1]}`;
}

/** A field and some of its values: "Duration (Seconds) 1 to 4 or 6 to 15". */
export function fieldWithValues(spec: ModelSpec, body: string, values: readonly Choice[]): string {
	return `${labelOf(spec, body)} ${wordList(compactChoices(values))}`;
}

/**
 * What a rule allows, e.g. "With Quality 1080p this model renders only Motion Mode normal and
 * Duration (Seconds) 5".
 */
export function ruleInWords(spec: ModelSpec, rule: CombinationRule): string {
	const allowed = Object.entries(rule.allow).map(([body, values]) =>
		fieldWithValues(spec, body, values),
	);
	return `With ${fieldWithValues(spec, rule.when.field, rule.when.values)} this model renders only ${wordList(allowed, 'and')}`;
}
