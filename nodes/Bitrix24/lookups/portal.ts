import type { ILoadOptionsFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { AuthKind, BitrixCall, Portal } from '../transport';
import { BitrixCallError, callMethod, redact, resolvePortal, toNodeApiError } from '../transport';

/** The portal behind the node's credential, for a dropdown (nodes without an Authentication field use OAuth2). */
export async function lookupPortal(ctx: ILoadOptionsFunctions): Promise<Portal> {
	const auth = ctx.getNodeParameter('authentication', 'oAuth2') as AuthKind;
	return await resolvePortal(ctx, auth);
}

/** One read for a dropdown; failures become an n8n error that names the method and holds no secret. */
export async function lookupCall(ctx: ILoadOptionsFunctions, portal: Portal, call: Omit<BitrixCall, 'write'>): Promise<unknown> {
	try {
		const envelope = await callMethod(ctx, portal, { ...call, write: false });
		return envelope.result;
	} catch (error) {
		if (error instanceof BitrixCallError) throw toNodeApiError(ctx.getNode(), error.failure, undefined, portal.secrets);
		throw new NodeOperationError(ctx.getNode(), redact(error instanceof Error ? error.message : String(error), portal.secrets));
	}
}

/** Case-insensitive "contains" on a dropdown's search box. */
export function matchesFilter(filter: string | undefined, ...texts: string[]): boolean {
	const needle = (filter ?? '').trim().toLowerCase();
	if (!needle) return true;
	return texts.some((text) => text.toLowerCase().includes(needle));
}
