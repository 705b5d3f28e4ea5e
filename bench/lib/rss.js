'use strict';
/**
 * Samples the resident set size (VmRSS, /proc/PID/status) of the `n8n execute` process the harness spawns, so a
 * run can report how much the n8n process grew while our node ran (Linux only; read-only, nothing is signalled).
 */
const fs = require('node:fs');

function rssKb(pid) {
	try {
		const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
		return m ? Number(m[1]) : undefined;
	} catch {
		return undefined;
	}
}

/** Children of this process whose command line contains `word` (the harness spawns `node …/n8n execute --id=…`). */
function childPids(word) {
	const pids = [];
	for (const name of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			if (ppid !== process.pid) continue;
			const cmd = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8');
			if (cmd.includes(word)) pids.push(Number(name));
		} catch {
			/* gone */
		}
	}
	return pids;
}

/** Starts sampling the next `n8n execute` child every `everyMs`; stop() returns [{at, kb}]. */
function sampleExecuteRss(workflowId, everyMs = 20) {
	const samples = [];
	let pid;
	const timer = setInterval(() => {
		if (!pid) [pid] = childPids(`--id=${workflowId}`);
		if (!pid) return;
		const kb = rssKb(pid);
		if (kb !== undefined) samples.push({ at: Date.now(), kb });
	}, everyMs);
	return {
		stop() {
			clearInterval(timer);
			return samples;
		},
	};
}

/**
 * RSS growth over a node's run [start, start + ms]: `after - before` (the last sample before the node started and the
 * first one after it ended) and `peak - before`, in MB.
 */
function growthOver(samples, start, ms) {
	const end = start + ms;
	const before = [...samples].reverse().find((s) => s.at <= start) || samples[0];
	const after = samples.find((s) => s.at >= end) || samples[samples.length - 1];
	const during = samples.filter((s) => s.at >= start && s.at <= end);
	if (!before || !after) return { rssMb: null, rssPeakMb: null, rssBeforeMb: null };
	const peak = Math.max(after.kb, ...during.map((s) => s.kb));
	const mb = (kb) => Math.round((kb / 1024) * 10) / 10;
	return { rssMb: mb(after.kb - before.kb), rssPeakMb: mb(peak - before.kb), rssBeforeMb: mb(before.kb) };
}

module.exports = { sampleExecuteRss, growthOver };
