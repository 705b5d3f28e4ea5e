import { readFileSync } from 'fs';
import { join } from 'path';

export const FIXTURE_TOKEN = 'app-token-51c2e9';

/** The raw form body of a documented event (test/fixtures/events/<EVENT>.txt). */
export function fixture(event: string): string {
	return readFileSync(join(__dirname, '../../fixtures/events', `${event}.txt`), 'utf8').trim();
}

/** A fixture with its application token replaced (or removed when `token` is undefined). */
export function withToken(raw: string, token: string | undefined): string {
	const params = new URLSearchParams(raw);
	if (token === undefined) params.delete('auth[application_token]');
	else params.set('auth[application_token]', token);
	return params.toString();
}

export const SECRET_FRAGMENTS = ['evt-access-token', 'bot-access-token', 'bot-refresh-token', 'app-token-51c2e9', 'access_token', 'refresh_token', 'application_token'];
