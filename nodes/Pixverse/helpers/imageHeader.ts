/**
 * An image's type and size read from its first bytes, without an image library (a community
 * node may have no runtime dependencies): PNG's IHDR chunk, WebP's VP8 / VP8L / VP8X headers,
 * and JPEG's SOFn marker. Only what PixVerse's limits need; nothing is decoded.
 */
/** The image types PixVerse takes. */
export const IMAGE_TYPES = ['png', 'webp', 'jpeg'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

export type ImageHeader =
	| { ok: true; type: ImageType; width: number; height: number }
	/** The signature says png, webp or jpeg, but the header ends or breaks before the size. */
	| { ok: false; type: ImageType; problem: string }
	/** Not png, webp or jpeg: `found` names what it looks like instead. */
	| { ok: false; type: undefined; found: string };

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const ascii = (bytes: Buffer, start: number, end: number) =>
	bytes.length >= end ? bytes.toString('latin1', start, end) : '';

export function imageTypeOf(bytes: Buffer): ImageType | undefined {
	if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
	if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
		return 'jpeg';
	}
	if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
	return undefined;
}

/** Other files people try, named by their signature, so an error can say what was found. */
const OTHER_SIGNATURES: Array<[string, (bytes: Buffer) => boolean]> = [
	['gif', (bytes) => /^GIF8[79]a/.test(ascii(bytes, 0, 6))],
	['bmp', (bytes) => ascii(bytes, 0, 2) === 'BM'],
	['tiff', (bytes) => ['II*\u0000', 'MM\u0000*'].includes(ascii(bytes, 0, 4))],
	[
		'heic/avif',
		(bytes) => ascii(bytes, 4, 8) === 'ftyp' && /^(hei|hev|mif|avi|msf)/.test(ascii(bytes, 8, 12)),
	],
	['mp4/mov video', (bytes) => ascii(bytes, 4, 8) === 'ftyp'],
	['pdf', (bytes) => ascii(bytes, 0, 5) === '%PDF-'],
	['svg or other text', (bytes) => /^\s*</.test(ascii(bytes, 0, Math.min(bytes.length, 64)))],
];

export function describeUnknownImage(bytes: Buffer): string {
	if (bytes.length === 0) return 'an empty file';
	const known = OTHER_SIGNATURES.find(([, matches]) => matches(bytes));
	if (known) return `a ${known[0]} file`;
	const first = [...bytes.subarray(0, 8)].map((byte) => byte.toString(16).padStart(2, '0'));
	return `an unknown file type (first bytes ${first.join(' ')})`;
}

type Size = { width: number; height: number } | string;

function pngSize(bytes: Buffer): Size {
	// Signature (8), then the IHDR chunk: length (4), "IHDR" (4), width (4), height (4).
	if (bytes.length < 24) return 'the PNG header ends before the image size (IHDR)';
	if (ascii(bytes, 12, 16) !== 'IHDR') return 'the PNG has no IHDR chunk where its size belongs';
	return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

function webpSize(bytes: Buffer): Size {
	const chunk = ascii(bytes, 12, 16);
	if (chunk === 'VP8 ') {
		// Lossy: a 3-byte frame tag at 20, the start code 9d 01 2a, then 14-bit width and height.
		if (bytes.length < 30) return 'the WebP (VP8) header ends before the image size';
		if (bytes[23] !== 0x9d || bytes[24] !== 0x01 || bytes[25] !== 0x2a) {
			return 'the WebP (VP8) frame has no start code';
		}
		return { width: bytes.readUInt16LE(26) & 0x3fff, height: bytes.readUInt16LE(28) & 0x3fff };
	}
	if (chunk === 'VP8L') {
		// Lossless: signature 0x2f, then width - 1 and height - 1 in 14 bits each.
		if (bytes.length < 25) return 'the WebP (VP8L) header ends before the image size';
		if (bytes[20] !== 0x2f) return 'the WebP (VP8L) header has no signature byte';
		const bits = bytes.readUInt32LE(21);
		return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
	}
	if (chunk === 'VP8X') {
		// Extended: flags (4), then canvas width - 1 and height - 1 in 24 bits each.
		if (bytes.length < 30) return 'the WebP (VP8X) header ends before the canvas size';
		return { width: bytes.readUIntLE(24, 3) + 1, height: bytes.readUIntLE(27, 3) + 1 };
	}
	if (bytes.length < 16) return 'the WebP header ends before its first chunk';
	return `the WebP starts with an unknown chunk "${chunk}"`;
}

/** SOF0 to SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range. */
const isStartOfFrame = (marker: number) =>
	marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
/** Markers without a length: TEM, RST0-7, SOI. */
const standsAlone = (marker: number) => marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8);

function jpegSize(bytes: Buffer): Size {
	let offset = 2;
	for (;;) {
		if (offset >= bytes.length) return 'the JPEG ends before its frame header (SOF)';
		if (bytes[offset] !== 0xff) return `the JPEG has no marker at byte ${offset}`;
		while (bytes[offset] === 0xff) offset++; // fill bytes
		if (offset >= bytes.length) return 'the JPEG ends before its frame header (SOF)';
		const marker = bytes[offset++];
		if (standsAlone(marker)) continue;
		if (marker === 0xd9 || marker === 0xda) {
			return 'the JPEG has no frame header (SOF) before its image data';
		}
		if (offset + 2 > bytes.length) return 'the JPEG ends inside a segment header';
		const length = bytes.readUInt16BE(offset);
		if (length < 2) return `the JPEG has a broken segment length at byte ${offset}`;
		if (isStartOfFrame(marker)) {
			// Length (2), precision (1), height (2), width (2).
			if (offset + 7 > bytes.length) return 'the JPEG ends inside its frame header (SOF)';
			return { width: bytes.readUInt16BE(offset + 5), height: bytes.readUInt16BE(offset + 3) };
		}
		offset += length;
	}
}

const SIZE_READERS: Record<ImageType, (bytes: Buffer) => Size> = {
	png: pngSize,
	webp: webpSize,
	jpeg: jpegSize,
};

export function readImageHeader(bytes: Buffer): ImageHeader {
	const type = imageTypeOf(bytes);
	if (!type) return { ok: false, type: undefined, found: describeUnknownImage(bytes) };
	const size = SIZE_READERS[type](bytes);
	if (typeof size === 'string') return { ok: false, type, problem: size };
	if (size.width === 0 || size.height === 0) {
		return {
			ok: false,
			type,
			problem: `the header gives a size of ${size.width} x ${size.height} px`,
		};
	}
	return { ok: true, type, ...size };
}
