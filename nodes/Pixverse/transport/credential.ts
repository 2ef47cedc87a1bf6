/**
 * Where requests go: the credential's Base URL (a proxy or a local simulator for testing), with
 * Segmind's own address as the default. Used by the node's routing and the credential test.
 */
import { CREDITS_PATH, DEFAULT_BASE_URL } from './client';

/** n8n expression for the credential's Base URL, without a trailing slash. */
export const BASE_URL_FROM_CREDENTIAL = `={{ ($credentials.baseUrl || "${DEFAULT_BASE_URL}").replace(/\\/+$/, "") }}`;

export { CREDITS_PATH, DEFAULT_BASE_URL };
export { DEFAULT_STORAGE_UPLOAD_URL } from './explain';
