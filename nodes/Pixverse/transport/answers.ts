/**
 * Reading what Segmind answered: a body as text, the JSON object in it (the one place the node
 * parses an answer's JSON), and Segmind's own words in an error answer.
 */
import type { IDataObject } from 'n8n-workflow';

export function bodyAsText(body: unknown): string {
	if (body === undefined || body === null) return '';
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	if (body instanceof ArrayBuffer) return Buffer.from(body).toString('utf8');
	if (typeof body === 'string') return body;
	return JSON.stringify(body);
}

/** The JSON object in a text, or undefined: every JSON answer of Segmind is read with this. */
export function jsonObjectIn(text: string): IDataObject | undefined {
	try {
		const parsed: unknown = JSON.parse(text);
		return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
			? (parsed as IDataObject)
			: undefined;
	} catch {
		return undefined;
	}
}

const MAX_MESSAGE_LENGTH = 500;

/** Segmind answers `{"error": "..."}`; some gateways answer HTML or plain text. */
export function segmindMessageFrom(body: unknown): string {
	const text = bodyAsText(body);
	const json = jsonObjectIn(text);
	const fromJson = json && (json.error ?? json.message ?? json.detail ?? json.errors);
	const message =
		fromJson !== undefined
			? typeof fromJson === 'string'
				? fromJson
				: JSON.stringify(fromJson)
			: text
					.replace(/<[^>]*>/g, ' ')
					.replace(/\s+/g, ' ')
					.trim();
	return message.length > MAX_MESSAGE_LENGTH
		? `${message.slice(0, MAX_MESSAGE_LENGTH)}...`
		: message;
}
