/**
 * Where requests go: the credential's Base URL (a proxy or a local simulator for testing), with
 * Segmind's own addresses as the defaults. Used by the node's routing, the client and the
 * credential.
 */
export const CREDENTIAL_TYPE = 'segmindPixverseApi';
export const DEFAULT_BASE_URL = 'https://api.segmind.com';
export const DEFAULT_STORAGE_UPLOAD_URL = 'https://workflows-api.segmind.com/upload-asset';
/** Free: it runs no model (the credential's Test and Account > Get Credits). */
export const CREDITS_PATH = '/v1/get-user-credits';

/** n8n expression for the credential's Base URL, without a trailing slash. */
export const BASE_URL_FROM_CREDENTIAL = `={{ ($credentials.baseUrl || "${DEFAULT_BASE_URL}").replace(/\\/+$/, "") }}`;
