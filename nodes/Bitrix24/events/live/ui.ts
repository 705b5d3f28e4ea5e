import type { INodeProperties, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';

import type { Portal } from '../../transport';
import { BitrixCallError } from '../../transport';
import { hookError } from '../hookSupport';
import { startLive } from './loop';
import { clampIdle, LIVE_TIMING } from './schedule';
import type { LiveSource, LiveState } from './source';

/** The live fetch triggers' one notice: what live means and what it costs, in one line. */
export const liveTimingProperty: INodeProperties = {
	displayName:
		'Live: starts the workflow within seconds of an event, with no public URL, by asking Bitrix24 every few seconds (about one request per 5 s when quiet; Options → Quiet Interval trades speed for fewer requests)',
	name: 'liveNotice',
	type: 'notice',
	default: '',
};

/** A read error as one log sentence, secrets redacted. */
export function liveErrorText(ctx: ITriggerFunctions, error: unknown, portal: Portal): string {
	return hookError(ctx, error, portal).message;
}

/** When the error is OPERATION_TIME_LIMIT with a reset time: that time in ms. */
export function liveResetAt(error: unknown): number | undefined {
	if (!(error instanceof BitrixCallError)) return undefined;
	const { code, operatingResetAt } = error.failure;
	return code === 'OPERATION_TIME_LIMIT' && typeof operatingResetAt === 'number' ? operatingResetAt * 1000 : undefined;
}

/** Options → Quiet Interval (Seconds) of the live fetch triggers. */
export const quietIntervalOption: INodeProperties = {
	displayName: 'Quiet Interval (Seconds)',
	name: 'idleSeconds',
	type: 'number',
	typeOptions: { minValue: 5, maxValue: 30 },
	default: 5,
	description: 'How often to check when no conversation is going on (5–30). Longer means fewer requests and a slower first answer.',
};

/** Starts a live fetch trigger on `source` (errors as the node's errors, secrets redacted). */
export async function runLiveTrigger(
	ctx: ITriggerFunctions,
	portal: Portal,
	live: { source: LiveSource; state: LiveState; idleSeconds: unknown; name: string },
): Promise<ITriggerResponse> {
	try {
		return await startLive(ctx, {
			source: live.source,
			state: live.state,
			idleMs: clampIdle(Number(live.idleSeconds ?? LIVE_TIMING.idleMs / 1000) * 1000),
			name: live.name,
			describeError: (error) => liveErrorText(ctx, error, portal),
			resetAtOf: liveResetAt,
		});
	} catch (error) {
		throw hookError(ctx, error, portal);
	}
}
