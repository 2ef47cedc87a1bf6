/**
 * The image header readers (nodes/Pixverse/helpers/imageHeader.ts) on images made in code: every
 * supported layout, every truncation point, sizes beyond any limit, and files that are not images.
 */
import { readImageHeader } from '../../nodes/Pixverse/helpers/imageHeader';
import {
	gifImage,
	jpegImage,
	pngHeaderOnly,
	pngImage,
	webpImage,
	type WebpKind,
} from '../fixtures/images.mts';

describe('sizes read from the header', () => {
	test.each([
		['png', pngImage(3, 2), 3, 2],
		['png header only, 4000 x 4000', pngHeaderOnly(4000, 4000), 4000, 4000],
		['jpeg baseline (SOF0)', jpegImage(640, 480), 640, 480],
		['jpeg progressive (SOF2)', jpegImage(1024, 768, { progressive: true }), 1024, 768],
		['webp lossy (VP8)', webpImage(800, 600, 'VP8'), 800, 600],
		['webp lossless (VP8L)', webpImage(16384, 1, 'VP8L'), 16384, 1],
		['webp extended (VP8X)', webpImage(4000, 3000, 'VP8X'), 4000, 3000],
	])('%s', (_name, bytes, width, height) => {
		const header = readImageHeader(bytes);
		expect(header).toMatchObject({ ok: true, width, height });
	});

	test('the type comes from the bytes', () => {
		expect(readImageHeader(pngImage(1, 1))).toMatchObject({ type: 'png' });
		expect(readImageHeader(jpegImage(1, 1))).toMatchObject({ type: 'jpeg' });
		expect(readImageHeader(webpImage(1, 1))).toMatchObject({ type: 'webp' });
	});

	test('huge dimensions are read as they are, for the caller to refuse', () => {
		expect(readImageHeader(pngHeaderOnly(2 ** 31 - 1, 100_000))).toMatchObject({
			ok: true,
			width: 2 ** 31 - 1,
			height: 100_000,
		});
		// VP8X holds 24 bits: up to 16777216 px a side.
		expect(readImageHeader(webpImage(2 ** 24, 2 ** 24, 'VP8X'))).toMatchObject({
			width: 2 ** 24,
			height: 2 ** 24,
		});
		expect(readImageHeader(jpegImage(65535, 65535))).toMatchObject({
			width: 65535,
			height: 65535,
		});
	});
});

describe('damaged headers', () => {
	/** Every prefix shorter than the bytes that hold the size. */
	const truncations = (bytes: Buffer, sizeEndsAt: number) =>
		Array.from({ length: sizeEndsAt }, (_, length) => bytes.subarray(0, length));

	const jpeg = jpegImage(640, 480);
	const sofAt = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
	const cases: Array<[string, Buffer, number]> = [
		['png', pngImage(3, 2), 24],
		['jpeg', jpeg, sofAt + 9],
		...(['VP8', 'VP8L', 'VP8X'] as WebpKind[]).map((kind): [string, Buffer, number] => [
			`webp ${kind}`,
			webpImage(10, 10, kind),
			kind === 'VP8L' ? 25 : 30,
		]),
	];

	test.each(cases)(
		'%s cut anywhere before its size is never read as an image',
		(_name, bytes, end) => {
			for (const prefix of truncations(bytes, end)) {
				const header = readImageHeader(prefix);
				expect(header.ok).toBe(false);
			}
			// The same bytes, whole, are read.
			expect(readImageHeader(bytes.subarray(0, end)).ok).toBe(true);
		},
	);

	test('a truncated header of a known type says so', () => {
		expect(readImageHeader(pngImage(3, 2).subarray(0, 20))).toEqual({
			ok: false,
			type: 'png',
			problem: 'the PNG header ends before the image size (IHDR)',
		});
		expect(readImageHeader(jpeg.subarray(0, sofAt + 4))).toMatchObject({
			ok: false,
			type: 'jpeg',
			problem: expect.stringMatching(/ends inside/),
		});
	});

	test('a JPEG whose image data starts before any frame header has no size', () => {
		const noFrame = Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02, 0x00, 0xff, 0xd9]);
		expect(readImageHeader(noFrame)).toMatchObject({
			ok: false,
			type: 'jpeg',
			problem: 'the JPEG has no frame header (SOF) before its image data',
		});
	});

	test('a JPEG with garbage where a marker belongs, or a zero segment length', () => {
		expect(
			readImageHeader(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0, 0, 0x12])),
		).toMatchObject({ ok: false, problem: 'the JPEG has no marker at byte 8' });
		expect(readImageHeader(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x00]))).toMatchObject({
			ok: false,
			problem: expect.stringMatching(/broken segment length/),
		});
	});

	test('a zero width is not a size', () => {
		expect(readImageHeader(pngHeaderOnly(0, 10))).toMatchObject({ ok: false, type: 'png' });
	});

	test('a PNG whose first chunk is not IHDR, and a WebP with an unknown chunk', () => {
		const png = pngHeaderOnly(10, 10);
		png.write('IDAT', 12, 'latin1');
		expect(readImageHeader(png)).toMatchObject({ ok: false, type: 'png' });
		const webp = webpImage(10, 10, 'VP8L');
		webp.write('ALPH', 12, 'latin1');
		expect(readImageHeader(webp)).toMatchObject({
			ok: false,
			type: 'webp',
			problem: 'the WebP starts with an unknown chunk "ALPH"',
		});
	});
});

describe('files that are not png, webp or jpeg', () => {
	test.each([
		['gif', gifImage(), 'a gif file'],
		['bmp', Buffer.concat([Buffer.from('BM', 'latin1'), Buffer.alloc(60)]), 'a bmp file'],
		['svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'a svg or other text file'],
		['pdf', Buffer.from('%PDF-1.7\n'), 'a pdf file'],
		['empty', Buffer.alloc(0), 'an empty file'],
		['unknown', Buffer.from([1, 2, 3, 4]), 'an unknown file type (first bytes 01 02 03 04)'],
		[
			'a RIFF that is not WebP',
			Buffer.from('RIFF\u0000\u0000\u0000\u0000WAVEfmt ', 'latin1'),
			/unknown file type/,
		],
	])('%s', (_name, bytes, found) => {
		const header = readImageHeader(bytes);
		expect(header).toMatchObject({ ok: false, type: undefined });
		expect((header as { found: string }).found).toEqual(
			found instanceof RegExp ? expect.stringMatching(found) : found,
		);
	});
});
