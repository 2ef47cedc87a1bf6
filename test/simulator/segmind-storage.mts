/**
 * Segmind Storage as the simulator plays it (docs/segmind-api.md, "Segmind Storage"): POST
 * /upload-asset with `{"data_urls": ["data:image/png;base64,..."]}` answers `{"urls": [...]}`. Each data URI is checked here independently of the node: an image type
 * PixVerse takes, valid base64, and bytes whose signature matches the declared type.
 *
 * Runs under jest (swc) and directly under Node 24's type stripping: erasable syntax only.
 */
export const UPLOAD_PATH = '/upload-asset';
export const ASSET_PATH = /^\/assets\/([\w-]+)\.(png|webp|jpeg)$/;

const SIGNATURES: Record<string, (bytes: Buffer) => boolean> = {
	png: (bytes) => bytes.subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex')),
	jpeg: (bytes) => bytes.subarray(0, 3).equals(Buffer.from('ffd8ff', 'hex')),
	webp: (bytes) =>
		bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP',
};

/** png, jpeg or webp when the bytes start with that format's signature. */
export function imageTypeOf(bytes: Buffer): string | undefined {
	return Object.keys(SIGNATURES).find((type) => SIGNATURES[type](bytes));
}

export type StoredImage = { type: string; bytes: Buffer };

/** The images in an upload body, or the 400 message Segmind Storage would answer. */
export function imagesInUpload(body: unknown): StoredImage[] | string {
	const dataUrls = (body as { data_urls?: unknown } | undefined)?.data_urls;
	if (!Array.isArray(dataUrls) || dataUrls.length === 0) {
		return 'data_urls must be a non-empty array of data URIs';
	}
	const images: StoredImage[] = [];
	for (const dataUrl of dataUrls) {
		const match = /^data:image\/(png|webp|jpeg);base64,([A-Za-z0-9+/]*={0,2})$/.exec(
			String(dataUrl),
		);
		if (!match) return 'each data URL must be data:image/png|webp|jpeg;base64,<data>';
		const bytes = Buffer.from(match[2], 'base64');
		if (bytes.length === 0 || bytes.toString('base64') !== match[2]) {
			return 'the data URL holds invalid base64';
		}
		if (!SIGNATURES[match[1]](bytes)) {
			return `the data is not a ${match[1]} image (its first bytes do not match)`;
		}
		images.push({ type: match[1], bytes });
	}
	return images;
}
