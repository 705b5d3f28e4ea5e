import type { FormField } from './formFields';
import { controlName } from './formFields';

/**
 * The pages the node's webhook serves: the response form (free text or custom fields) and the "answer recorded"
 * page. Plain HTML built here, every text escaped, no script; the form posts back to its own (signed) URL as multipart/form-data (n8n 2.41 accepts nothing else for a custom form).
 */

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** The page's Content-Security-Policy: no script, no outside resource, the form may only post to this n8n. */
export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const STYLE = `body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#eef2f4;margin:0;padding:32px 16px;color:#333}
main{max-width:480px;margin:0 auto;background:#fff;border-radius:12px;padding:28px;box-shadow:0 2px 8px rgba(0,0,0,.08)}
h1{font-size:20px;margin:0 0 12px}p.d{white-space:pre-line;margin:0 0 20px;line-height:1.45}
label{display:block;font-weight:600;margin:16px 0 6px}label.c{font-weight:400}
input[type=text],input[type=number],input[type=email],input[type=date],select,textarea{width:100%;box-sizing:border-box;padding:9px 10px;border:1px solid #c5ced4;border-radius:6px;font:inherit}
textarea{min-height:110px}button{margin-top:22px;width:100%;padding:11px;border:0;border-radius:6px;background:#2fc6f6;color:#fff;font-size:16px;font-weight:600}
.e{background:#fdecea;color:#a3261a;padding:10px;border-radius:6px;margin-bottom:12px}.r{color:#c0392b}.f{margin-top:18px;font-size:12px;color:#8a979e;text-align:center}`;

function page(title: string, body: string): string {
	return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}<div class="f">Bitrix24 · n8n</div></main></body></html>`;
}

function control(field: FormField, index: number): string {
	const name = controlName(index);
	const required = field.required ? ' required' : '';
	const mark = field.required ? ' <span class="r">*</span>' : '';
	const label = `<label for="${name}">${escapeHtml(field.label)}${mark}</label>`;
	const placeholder = field.placeholder ? ` placeholder="${escapeHtml(field.placeholder)}"` : '';
	switch (field.type) {
		case 'textarea':
			return `${label}<textarea id="${name}" name="${name}"${placeholder}${required}></textarea>`;
		case 'dropdown':
			return `${label}<select id="${name}" name="${name}"${required}><option value=""></option>${(field.choices ?? [])
				.map((choice) => `<option>${escapeHtml(choice)}</option>`)
				.join('')}</select>`;
		case 'checkbox':
			return `<label class="c"><input type="checkbox" id="${name}" name="${name}" value="on"${required}> ${escapeHtml(field.label)}${mark}</label>`;
		default:
			return `${label}<input type="${field.type}" id="${name}" name="${name}"${placeholder}${required}${field.type === 'number' ? ' step="any"' : ''}>`;
	}
}

/** The response form. `problem` (after a refused submission) is shown above the fields. */
export function formPage(texts: { title: string; description: string; button: string }, fields: FormField[], problem?: string): string {
	const heading = texts.title ? `<h1>${escapeHtml(texts.title)}</h1>` : '';
	const description = texts.description ? `<p class="d">${escapeHtml(texts.description)}</p>` : '';
	const error = problem ? `<div class="e">${escapeHtml(problem)}</div>` : '';
	const controls = fields.map(control).join('');
	return page(texts.title || 'Your response', `${heading}${description}${error}<form method="post" enctype="multipart/form-data">${controls}<button type="submit">${escapeHtml(texts.button)}</button></form>`);
}

/** Shown after an answer was taken. */
export function recordedPage(): string {
	return page('Response recorded', '<h1>Got it, thanks</h1><p class="d">Your response has been recorded. This page can be closed now.</p>');
}

/** A page saying the answer was not taken (the text is the node's own, no user input). */
export function refusedPage(text: string): string {
	return page('Not recorded', `<h1>Not recorded</h1><p class="d">${text}</p>`);
}
