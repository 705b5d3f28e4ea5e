'use strict';
/** The method registry: name (lower case) -> handler(ctx). */
const imconnector = require('./imconnector');
const imopenlines = require('./imopenlines');
const imbot = require('./imbot');
const imbotV2 = require('./imbotV2');
const event = require('./event');
const misc = require('./misc');
const { batch } = require('./batch');

function buildRegistry() {
	const all = { ...imconnector, ...imopenlines.methods, ...imbot.methods, ...imbotV2.methods, ...event.methods, ...misc, batch };
	const registry = {};
	for (const [name, fn] of Object.entries(all)) registry[name.toLowerCase()] = fn;
	return registry;
}

module.exports = { buildRegistry };
