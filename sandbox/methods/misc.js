'use strict';
/** profile, user.current, app.info, server.time, scope, methods. */
const crypto = require('crypto');
const { isoWithOffset } = require('../envelope');
const { isInstalled } = require('../install');

function currentUser(state, auth) {
	return state.users.get(auth.userId) || state.users.get(1);
}

module.exports = {
	profile: ({ state, auth }) => {
		const u = currentUser(state, auth);
		return { ID: String(u.ID), ADMIN: Boolean(u.ADMIN), NAME: u.NAME, LAST_NAME: u.LAST_NAME, PERSONAL_GENDER: u.PERSONAL_GENDER || '', PERSONAL_PHOTO: '', TIME_ZONE: '', TIME_ZONE_OFFSET: 0 };
	},
	'user.current': ({ state, auth }) => {
		const u = currentUser(state, auth);
		return {
			ID: String(u.ID), XML_ID: '', ACTIVE: true, NAME: u.NAME, LAST_NAME: u.LAST_NAME, SECOND_NAME: '', EMAIL: u.EMAIL || '',
			LAST_LOGIN: isoWithOffset(Date.now()), DATE_REGISTER: '2024-01-01T00:00:00+00:00', IS_ONLINE: 'Y', TIME_ZONE_OFFSET: '0',
			PERSONAL_GENDER: u.PERSONAL_GENDER || '', WORK_POSITION: u.WORK_POSITION || '', USER_TYPE: 'employee', UF_DEPARTMENT: [1],
		};
	},
	// The app of the caller's token: the sandbox's own app is ID 1; any other client id (a token issued for another app,
	// as a test makes one) gets an ID of its own, as apps of one portal do.
	'app.info': ({ auth, portal }) => ({
		ID: auth.clientId === portal.clientId ? 1 : 1000 + (parseInt(crypto.createHash('md5').update(String(auth.clientId)).digest('hex').slice(0, 6), 16) % 100000),
		CODE: auth.clientId, VERSION: 1, STATUS: 'L', INSTALLED: isInstalled(portal, auth.clientId), PAYMENT_EXPIRED: 'N', DAYS: null,
		LANGUAGE_ID: 'en', LICENSE: 'en_project', LICENSE_TYPE: 'project', LICENSE_FAMILY: 'project',
	}),
	'server.time': () => isoWithOffset(Date.now()),
	scope: () => ['basic', 'imopenlines', 'imconnector', 'imbot', 'im'],
	methods: ({ portal }) => Object.keys(portal.registry).sort(),
};
