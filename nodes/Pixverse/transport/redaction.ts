/**
 * The API key never leaves the node in words: every error an operation throws passes through
 * `redacted` (the client's `redacting` and its retry loop), whatever a server echoed back.
 */
/** Never let the API key travel into an error, even when a server echoes it back. */
export function redactSecret(text: string, secret: string | undefined) {
	if (!secret || secret.length < 4) return text;
	return text.split(secret).join('[redacted]');
}

/**
 * The error with the API key taken out of every text a person or a log can see: its message,
 * description, Segmind's own words it carries, and the messages n8n collected.
 */
export function redacted(error: unknown, secret: string | undefined): unknown {
	if (!secret || secret.length < 4 || !(error instanceof Error)) return error;
	const texts = error as Error & {
		description?: string;
		messages?: string[];
		errorResponse?: { message?: unknown };
	};
	texts.message = redactSecret(texts.message, secret);
	if (typeof texts.description === 'string') {
		texts.description = redactSecret(texts.description, secret);
	}
	if (Array.isArray(texts.messages)) {
		texts.messages = texts.messages.map((message) => redactSecret(String(message), secret));
	}
	if (typeof texts.errorResponse?.message === 'string') {
		texts.errorResponse.message = redactSecret(texts.errorResponse.message, secret);
	}
	return error;
}
