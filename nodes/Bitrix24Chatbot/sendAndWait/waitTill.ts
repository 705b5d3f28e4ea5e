import type { IDataObject } from 'n8n-workflow';
import { WAIT_INDEFINITELY } from 'n8n-workflow';

import { FieldError } from '../../Bitrix24/operations';

const UNIT_MS: Record<string, number> = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

/**
 * When the wait ends without an answer: `Options → Limit Wait Time` as an interval from `now` or a date; no limit
 * waits indefinitely (n8n's WAIT_INDEFINITELY). Bad values are refused before the message is sent.
 */
export function waitTillOf(limit: IDataObject | undefined, now: Date = new Date()): Date {
	if (!limit || Object.keys(limit).length === 0) return WAIT_INDEFINITELY;
	const type = limit.limitType ?? 'afterTimeInterval';
	if (type === 'afterTimeInterval') {
		const amount = Number(limit.resumeAmount ?? 1);
		const unit = String(limit.resumeUnit ?? 'hours');
		if (!Number.isFinite(amount) || amount < 0) throw new FieldError(`"Limit Wait Time → Amount" must be a number of at least 0 (got ${String(limit.resumeAmount)})`);
		if (!(unit in UNIT_MS)) throw new FieldError(`"Limit Wait Time → Unit" must be minutes, hours or days (got ${unit})`);
		return new Date(now.getTime() + amount * UNIT_MS[unit]);
	}
	if (type === 'atSpecifiedTime') {
		const raw = limit.maxDateAndTime;
		const date = raw instanceof Date ? raw : new Date(String(raw ?? ''));
		if (raw === undefined || raw === '' || Number.isNaN(date.getTime())) {
			throw new FieldError(`"Limit Wait Time → Max Date and Time" must be a date and time such as 2026-12-24T18:00:00Z (got ${String(raw ?? '')})`);
		}
		return date;
	}
	throw new FieldError(`"Limit Wait Time → Limit Type" must be afterTimeInterval or atSpecifiedTime (got ${String(type)})`);
}
