/* The in-process sandbox portal as the integration tests use it (sandbox/index.js is plain JS). */
/* eslint-disable @typescript-eslint/no-require-imports */
import type { IDataObject } from 'n8n-workflow';

export interface Sandbox {
	url: string;
	port: number;
	oauth: { tokenUrl: string; clientId: string; clientSecret: string };
	state: IDataObject;
	log(): IDataObject[];
	portal: { log: { clear(): void } };
	issueTokens(): IDataObject;
	configure(o: IDataObject): void;
	/** Refuses every connection for `ms` (listener closed, idle connections dropped), then listens again. */
	outage(ms: number): Promise<void>;
	/** An outage of `ms` from the `afterRequests`-th next /rest/ request on (that one is still answered). */
	scheduleOutage(o: { afterRequests: number; ms: number }): void;
	whenUp(): Promise<void>;
	expireTokens(): number;
	/** Holds the next `callers` expired-token 401s until all have arrived, then answers them together. */
	scheduleExpiryRace(o: { callers: number; timeoutMs?: number }): void;
	stop(): Promise<void>;
}

export function startSandbox(options: IDataObject): Promise<Sandbox> {
	return require('../../sandbox').startSandbox(options);
}

/** A REST call with a sandbox access token, outside any node (test set-up). */
export async function sandboxCall(sb: Sandbox, token: string, method: string, params: IDataObject): Promise<IDataObject> {
	const res = await fetch(`${sb.url}/rest/${method}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
		body: JSON.stringify(params),
	});
	return (await res.json()) as IDataObject;
}
