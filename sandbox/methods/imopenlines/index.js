'use strict';
/**
 * imopenlines.* — all 38 documented methods (§3): config.* and revision.get (config.js), sessions and dialogs
 * (sessions.js), operator.* and bot.session.* (operators.js), crm.*, message.quick.save and network.* (crm.js).
 * Session records, CRM bindings and the shared checks: store.js.
 */
const config = require('./config');
const sessions = require('./sessions');
const operators = require('./operators');
const crm = require('./crm');

module.exports = {
	methods: { ...config.methods, ...sessions, ...operators, ...crm.methods },
	deleteLine: config.deleteLine,
	NETWORK_LINES: crm.NETWORK_LINES,
};
