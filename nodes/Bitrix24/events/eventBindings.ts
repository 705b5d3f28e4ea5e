import type { IHookFunctions } from 'n8n-workflow';

import type { Portal } from '../transport';
import { callMethod } from '../transport';

export interface EventBinding {
	event: string;
	handler: string;
}

function bindingsOf(result: unknown): EventBinding[] {
	const rows = Array.isArray(result) ? result : result && typeof result === 'object' ? Object.values(result) : [];
	const out: EventBinding[] = [];
	for (const row of rows) {
		if (!row || typeof row !== 'object') continue;
		const { event, handler } = row as { event?: unknown; handler?: unknown };
		if (typeof event === 'string' && typeof handler === 'string') out.push({ event: event.toUpperCase(), handler });
	}
	return out;
}

/** The app's event handlers bound to `handlerUrl` (event.get lists all of the app's handlers). */
export async function handlersBoundTo(ctx: IHookFunctions, portal: Portal, handlerUrl: string): Promise<EventBinding[]> {
	const envelope = await callMethod(ctx, portal, { method: 'event.get', params: {}, write: false });
	return bindingsOf(envelope.result).filter((b) => b.handler === handlerUrl);
}

export async function bindEvent(ctx: IHookFunctions, portal: Portal, binding: EventBinding): Promise<void> {
	await callMethod(ctx, portal, { method: 'event.bind', params: { event: binding.event, handler: binding.handler }, write: true });
}

/** Removes exactly this handler for this event (other handlers of the app are left alone). */
export async function unbindEvent(ctx: IHookFunctions, portal: Portal, binding: EventBinding): Promise<void> {
	await callMethod(ctx, portal, { method: 'event.unbind', params: { event: binding.event, handler: binding.handler }, write: true });
}
