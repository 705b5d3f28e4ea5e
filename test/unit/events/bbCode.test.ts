import { plainText } from '../../../nodes/Bitrix24/events';
import { stripBbCode } from '../../../nodes/Bitrix24/events/bbCode';

/** The regular expressions plainText used before issue 23 (same output, quadratic on unclosed `[a=`): the reference. */
function reference(text: string): string {
	return text
		.replace(/\[br\]/gi, '\n')
		.replace(/\[\/?p\]/gi, '\n')
		.replace(/\[\/?[a-z][a-z0-9_]{0,15}(?:=[^\]\n]{0,2000})?\]/gi, '')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}

/** Inputs a backtracking tag pattern rescans from every `[` (unclosed values, nested and unterminated tags). */
const ADVERSARIAL: Record<string, (n: number) => string> = {
	'unclosed [a= repeated': (n) => '[a='.repeat(Math.ceil(n / 3)),
	'unclosed [b=… with 1,990-character values': (n) => ('[b=' + 'x'.repeat(1990)).repeat(Math.ceil(n / 1993)),
	'nested tags never closed': (n) => '[b][i][u='.repeat(Math.ceil(n / 9)),
	'long tag names': (n) => '[abcdefghijklmnopq'.repeat(Math.ceil(n / 18)),
	'brackets only': (n) => '['.repeat(n),
};

describe('BB-code stripping (issue 23, point 6)', () => {
	it.each([
		['[b]Hello[/b] [br]World', 'Hello \nWorld'],
		['[USER=5]Anna[/USER], see [URL=https://x.example/a?b=1]the page[/URL]', 'Anna, see the page'],
		['[p]one[/p][p]two[/p]', 'one\n\ntwo'],
		['[a=x\ny] stays', '[a=x\ny] stays'],
		['[a=' + 'x'.repeat(2000) + ']gone', 'gone'],
		['[a=' + 'x'.repeat(2001) + ']kept', '[a=' + 'x'.repeat(2001) + ']kept'],
		['[abcdefghijklmnop]gone [abcdefghijklmnopq]kept', 'gone [abcdefghijklmnopq]kept'],
		['[a=[b]c] [/x] [9] [=] [a=x[br]y]', 'c]  [9] [=] [a=x\ny]'],
		['a\n\n\n\nb', 'a\n\nb'],
	])('known text %# comes out as documented and as the regular expressions gave it', (input, output) => {
		expect(plainText(input)).toBe(output);
		expect(plainText(input)).toBe(reference(input));
	});

	it('gives the same text as the regular expressions on random mixes of tags, brackets, = and line breaks', () => {
		const pieces = ['[', ']', '=', '/', '\n', 'a', 'B', '_', '1', 'p', 'br', '[b]', '[/b]', '[url=', ' ', 'x'.repeat(700)];
		let seed = 7;
		const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) % pieces.length;
		for (let round = 0; round < 300; round++) {
			let text = '';
			for (let k = 0; k < 40; k++) text += pieces[next()];
			expect(plainText(text)).toBe(reference(text));
		}
	});

	it.each(Object.keys(ADVERSARIAL))('reads each character a bounded number of times: %s', (name) => {
		const make = ADVERSARIAL[name];
		const readsAt = (n: number) => {
			const meter = { reads: 0 };
			stripBbCode(make(n), meter);
			return meter.reads;
		};
		const small = readsAt(100_000);
		const large = readsAt(400_000);
		// linear: at most a fixed number of reads per character, and four times the input costs about four times the reads
		expect(large).toBeLessThanOrEqual(24 * 400_000);
		expect(large / small).toBeLessThan(4.2);
	});

	it('strips 2 MB of unclosed [a= (the trigger body limit) and keeps the text', () => {
		const text = '[a='.repeat(700_000) + '\n[b]end[/b]';
		const out = plainText(text);
		expect(out.length).toBe(2_100_004);
		expect(out.endsWith('[a=[a=\nend')).toBe(true);
	});
});
