// Copies node and credential icons next to the compiled code in dist/ (tsc copies only .ts/.json).
const path = require('path');
const { task, src, dest } = require('gulp');

function copyIcons() {
	const nodeIcons = src('nodes/**/*.{png,svg}', { encoding: false }).pipe(dest(path.resolve('dist', 'nodes')));
	return nodeIcons.on('end', () => {
		src('credentials/**/*.{png,svg}', { encoding: false }).pipe(dest(path.resolve('dist', 'credentials')));
	});
}

task('build:icons', copyIcons);
