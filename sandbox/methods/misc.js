'use strict';
/** profile, user.current, app.info, server.time, scope, methods. */
const { isoWithOffset } = require('../envelope');

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
	'app.info': ({ auth }) => ({
		ID: 1, CODE: auth.clientId, VERSION: 1, STATUS: 'L', INSTALLED: true, PAYMENT_EXPIRED: 'N', DAYS: null,
		LANGUAGE_ID: 'en', LICENSE: 'en_project', LICENSE_TYPE: 'project', LICENSE_FAMILY: 'project',
	}),
	'server.time': () => isoWithOffset(Date.now()),
	scope: () => ['basic', 'imopenlines', 'imconnector', 'imbot', 'im'],
	methods: ({ portal }) => Object.keys(portal.registry).sort(),
};
