'use strict';
/** Error of a /sandbox/ endpoint: answered as { error, error_description } with its HTTP status. */
class SandboxError extends Error {
	constructor(status, description) {
		super(description);
		this.status = status;
		this.code = status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST';
	}
}
module.exports = { SandboxError };
