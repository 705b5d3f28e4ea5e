'use strict';
const { parsePhpQuery, buildPhpQuery } = require('../../sandbox/phpQuery');

describe('PHP-style query strings', () => {
	test('bracket keys become nested objects, numeric keys become arrays', () => {
		const q = 'CONNECTOR=x&MESSAGES[0][user][id]=u1&MESSAGES[0][message][text]=a+b%26c&MESSAGES[1][chat][id]=c&L[]=1&L[]=2&O[k][]=z';
		expect(parsePhpQuery(q)).toEqual({
			CONNECTOR: 'x',
			MESSAGES: [{ user: { id: 'u1' }, message: { text: 'a b&c' } }, { chat: { id: 'c' } }],
			L: ['1', '2'],
			O: { k: ['z'] },
		});
	});

	test('non-sequential numeric keys stay an object', () => {
		expect(parsePhpQuery('A[5]=x&A[7]=y')).toEqual({ A: { 5: 'x', 7: 'y' } });
	});

	test('build is http_build_query: encoded brackets, "+" for spaces, true "1", false "0", null ""', () => {
		const s = buildPhpQuery({ event: 'E', data: { P: { M: 'a b', L: [1, 2] }, T: true, F: false, N: null } });
		expect(s).toBe('event=E&data%5BP%5D%5BM%5D=a+b&data%5BP%5D%5BL%5D%5B0%5D=1&data%5BP%5D%5BL%5D%5B1%5D=2&data%5BT%5D=1&data%5BF%5D=0&data%5BN%5D=');
		expect(parsePhpQuery(s)).toEqual({ event: 'E', data: { P: { M: 'a b', L: ['1', '2'] }, T: '1', F: '0', N: '' } });
	});
});
