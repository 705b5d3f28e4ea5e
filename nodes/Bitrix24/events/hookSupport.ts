import type { IHookFunctions, IPollFunctions, ITriggerFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { AuthKind, BitrixCall, Portal } from '../transport';
import { authProblem, BitrixCallError, callMethod, failureMessage, redact, resolvePortal, toNodeApiError } from '../transport';

/** The portal for activating/deactivating a trigger; refuses up front when the credential cannot call `method`. */
export async function hookPortal(ctx: IHookFunctions | IPollFunctions | ITriggerFunctions, method: string): Promise<Portal> {
	const auth = ctx.getNodeParameter('authentication', 'oAuth2') as AuthKind;
	const portal = await resolvePortal(ctx, auth);
	const problem = authProblem(portal, method);
	if (problem) {
		throw new NodeOperationError(ctx.getNode(), `This trigger cannot subscribe with this credential (${problem.code}): ${problem.message}`);
	}
	return portal;
}

/** Any failure during activation/deactivation as an n8n error that names the Bitrix call and holds no secret. */
export function hookError(ctx: IHookFunctions | IPollFunctions | ITriggerFunctions, error: unknown, portal: Portal): NodeApiError | NodeOperationError {
	if (error instanceof BitrixCallError) return toNodeApiError(ctx.getNode(), error.failure, undefined, portal.secrets);
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(ctx.getNode(), redact(error instanceof Error ? error.message : String(error), portal.secrets));
}

/** True when the error is this Bitrix error code (e.g. BOT_ID_ERROR for a bot that no longer exists). */
export function isBitrixError(error: unknown, code: string): boolean {
	return error instanceof BitrixCallError && error.failure.code === code;
}

/**
 * Runs a follow-up call (delivery confirmation) after the webhook has answered, without holding the answer.
 * A failure is logged (redacted) — the event itself was already accepted. The promise is returned for tests.
 */
export function callInBackground(ctx: IWebhookFunctions, portal: Portal, call: BitrixCall): Promise<void> {
	return callMethod(ctx, portal, call).then(
		() => undefined,
		(error: unknown) => {
			const message =
				error instanceof BitrixCallError
					? failureMessage(error.failure, portal.secrets)
					: redact(error instanceof Error ? error.message : String(error), portal.secrets);
			ctx.logger.warn(`Bitrix24 trigger: ${call.method} after the event failed: ${message}`);
		},
	);
}
