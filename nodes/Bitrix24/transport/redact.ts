/**
 * Removes secrets from text that may reach an error message, an output item or a log line:
 * webhook codes in URLs, auth/token parameters, and any known secret value.
 */
export function redact(text: string, secrets: Array<string | undefined> = []): string {
	let out = text
		.replace(/(\/rest\/\d+\/)[A-Za-z0-9_-]+/g, '$1***')
		.replace(/((?:access_token|refresh_token|auth|client_secret|application_token)["']?\s*[=:]\s*["']?)[^&"'\s,}]+/gi, '$1***')
		.replace(/(Bearer\s+)[A-Za-z0-9._~+/-]+/gi, '$1***');
	for (const secret of secrets) {
		if (secret && secret.length >= 4) out = out.split(secret).join('***');
	}
	return out;
}
