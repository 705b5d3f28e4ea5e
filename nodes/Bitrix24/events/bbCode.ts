/**
 * BB-code to plain text, in linear time. [br] and [p] become line breaks, every other [tag], [tag=…] and [/tag] is
 * dropped (so [USER=5]Anna[/USER] and [URL=…]label[/URL] keep their label); a tag name is a letter and at most 15
 * more letters, digits or `_`, a value at most 2,000 characters on one line.
 *
 * The tags are found by one left-to-right scan instead of a regular expression: a pattern such as
 * `\[[a-z]\w*=[^\]]{0,2000}\]` re-reads up to 2,000 characters from every `[`, so 1 MB of unclosed `[a=` cost seconds of
 * the event loop. Here the end of a tag's value (the next `]` or line break) is found by a pointer that only moves
 * forward, so every character is read a bounded number of times (at most about 20), whatever the input.
 */

/** Counts character reads (tests check the bound with it). */
export interface ScanMeter {
	reads: number;
}

const NAME_MORE_MAX = 15;
const VALUE_MAX = 2000;
const CLOSE = 0x5d; // ]
const SLASH = 0x2f;
const EQUALS = 0x3d;
const NEWLINE = 0x0a;

function isLetter(code: number): boolean {
	const lower = code | 0x20;
	return lower >= 0x61 && lower <= 0x7a;
}

function isNameChar(code: number): boolean {
	return isLetter(code) || (code >= 0x30 && code <= 0x39) || code === 0x5f;
}

/** Removes every [tag], [tag=value] and [/tag]; the rest of the text is kept as it is. */
export function stripBbCode(text: string, meter: ScanMeter = { reads: 0 }): string {
	const n = text.length;
	const at = (i: number): number => {
		meter.reads++;
		return text.charCodeAt(i);
	};
	// the first `]` or line break at or after the last value start asked for (n: none); it only moves forward
	let stop = -1;
	const valueEnd = (from: number): number => {
		if (stop >= from) return stop;
		let i = Math.max(from, stop + 1);
		while (i < n) {
			const code = at(i);
			if (code === CLOSE || code === NEWLINE) break;
			i++;
		}
		stop = i;
		return stop;
	};
	/** The index after the tag that starts at `start` (a `[`), or -1. */
	const tagEnd = (start: number): number => {
		let i = start + 1;
		if (i < n && at(i) === SLASH) i++;
		if (i >= n || !isLetter(at(i))) return -1;
		i++;
		for (let more = 0; more < NAME_MORE_MAX && i < n && isNameChar(at(i)); more++) i++;
		if (i >= n) return -1;
		const code = at(i);
		if (code === CLOSE) return i + 1;
		if (code !== EQUALS) return -1;
		const end = valueEnd(i + 1);
		return end < n && end - (i + 1) <= VALUE_MAX && at(end) === CLOSE ? end + 1 : -1;
	};
	let out = '';
	let copyFrom = 0;
	let i = 0;
	while (i < n) {
		const open = text.indexOf('[', i);
		meter.reads += (open < 0 ? n : open + 1) - i;
		if (open < 0) break;
		const end = tagEnd(open);
		if (end < 0) {
			i = open + 1;
			continue;
		}
		if (open > copyFrom) out += text.slice(copyFrom, open);
		copyFrom = end;
		i = end;
	}
	return copyFrom === 0 ? text : out + text.slice(copyFrom);
}

/** The text without BB-code, line breaks for [br] and [p], at most one empty line in a row, trimmed. */
export function plainText(text: string): string {
	const breaks = text.replace(/\[br\]/gi, '\n').replace(/\[\/?p\]/gi, '\n');
	return stripBbCode(breaks)
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}
